using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>
/// An update to an idle workflow rides a speculative workflow task, as on Temporal: one the workflow rejects leaves no
/// event at all, one it accepts keeps its task and its accepted and completed events.
/// </summary>
[Collection(InProcessGroup.Name)]
public class SpeculativeUpdate_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ExecuteUpdate_RejectedByValidator_LeavesNoEventsInHistory()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        var (before, afterRejection, final) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            Assert.Equal(5, await handle.ExecuteUpdateAsync(wf => wf.AddAsync(5)));
            var beforeRejection = await handle.FetchHistoryAsync();
            await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => handle.ExecuteUpdateAsync(wf => wf.AddAsync(-1)));
            var rejected = await handle.FetchHistoryAsync();
            Assert.Equal(12, await handle.ExecuteUpdateAsync(wf => wf.AddAsync(7)));
            await handle.SignalAsync(wf => wf.FinishAsync());
            Assert.Equal(12, await handle.GetResultAsync());
            return (beforeRejection, rejected, await handle.FetchHistoryAsync());
        });

        Assert.Equal(before.Events.Select(historyEvent => historyEvent.EventType), afterRejection.Events.Select(historyEvent => historyEvent.EventType));
        Assert.Equal(2, final.Events.Count(historyEvent => historyEvent.EventType == EventType.WorkflowExecutionUpdateAccepted));
        Assert.Equal(2, final.Events.Count(historyEvent => historyEvent.EventType == EventType.WorkflowExecutionUpdateCompleted));
        Assert.DoesNotContain(final.Events, historyEvent => historyEvent.EventType == EventType.WorkflowTaskFailed);
        var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<UpdatableWorkflow>()).ReplayWorkflowAsync(final);
        Assert.Null(replay.ReplayFailure);
    }
}
