using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Signals and updates that came after the reset point arrive again in the reset run, as Temporal re-applies them; excluded kinds do not.</summary>
[Collection(InProcessGroup.Name)]
public class ResetReapply_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Reset_SignalsAfterThePoint_AreReappliedInOrder()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(3), new(Guid.NewGuid().ToString(), queue));
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            Assert.Equal(2, await handle.QueryAsync(wf => wf.Count));
            var newRunId = await handle.ResetAsync((await handle.CompletedWorkflowTasksAsync())[0]);
            var reset = server.Client.GetWorkflowHandle<SignalWorkflow>(handle.Id, runId: newRunId);
            await reset.SignalAsync(wf => wf.AddAsync("c"));
            Assert.Equal("a,b,c", await reset.GetResultAsync<string>());
        });
    }

    [Fact]
    public async Task Reset_UpdatesAfterThePoint_AreReappliedAsAdmitted()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        var (total, history) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            await handle.ExecuteUpdateAsync(wf => wf.AddAsync(5));
            await handle.ExecuteUpdateAsync(wf => wf.AddAsync(7));
            var newRunId = await handle.ResetAsync((await handle.CompletedWorkflowTasksAsync())[0]);
            var reset = server.Client.GetWorkflowHandle<UpdatableWorkflow>(handle.Id, runId: newRunId);
            await reset.SignalAsync(wf => wf.FinishAsync());
            return (await reset.GetResultAsync<int>(), await reset.FetchHistoryAsync());
        });
        Assert.Equal(12, total);
        var admitted = history.Events.Where(historyEvent => historyEvent.EventType == EventType.WorkflowExecutionUpdateAdmitted).Select(historyEvent => historyEvent.WorkflowExecutionUpdateAdmittedEventAttributes).ToList();
        Assert.Equal([UpdateAdmittedEventOrigin.Reapply, UpdateAdmittedEventOrigin.Reapply], admitted.Select(attributes => attributes.Origin));
        Assert.Equal(2, history.Events.Count(historyEvent => historyEvent.EventType == EventType.WorkflowExecutionUpdateCompleted));
        var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<UpdatableWorkflow>()).ReplayWorkflowAsync(history);
        Assert.Null(replay.ReplayFailure);
    }

    [Fact]
    public async Task Reset_UpdatesExcluded_LeavesUpdatesOut()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        var total = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            await handle.ExecuteUpdateAsync(wf => wf.AddAsync(5));
            var newRunId = await handle.ResetAsync((await handle.CompletedWorkflowTasksAsync())[0], ResetReapplyExcludeType.Update);
            var reset = server.Client.GetWorkflowHandle<UpdatableWorkflow>(handle.Id, runId: newRunId);
            await reset.SignalAsync(wf => wf.FinishAsync());
            return await reset.GetResultAsync<int>();
        });
        Assert.Equal(0, total);
    }
}
