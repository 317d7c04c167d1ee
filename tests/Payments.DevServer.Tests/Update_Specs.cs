using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class Update_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ExecuteUpdate_Accepted_ReturnsHandlerResultAndRecordsEvents()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        var (first, second, total, history) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            var a = await handle.ExecuteUpdateAsync(wf => wf.AddAsync(5));
            var b = await handle.ExecuteUpdateAsync(wf => wf.AddAsync(7));
            await handle.SignalAsync(wf => wf.FinishAsync());
            return (a, b, await handle.GetResultAsync(), await handle.FetchHistoryAsync());
        });
        Assert.Equal((5, 12, 12), (first, second, total));
        Assert.Equal(2, history.Events.Count(e => e.EventType == EventType.WorkflowExecutionUpdateAccepted));
        Assert.Equal(2, history.Events.Count(e => e.EventType == EventType.WorkflowExecutionUpdateCompleted));
        var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<UpdatableWorkflow>()).ReplayWorkflowAsync(history);
        Assert.Null(replay.ReplayFailure);
    }

    [Fact]
    public async Task ExecuteUpdate_RejectedByValidator_ThrowsUpdateFailed()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            var error = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => handle.ExecuteUpdateAsync(wf => wf.AddAsync(-1)));
            Assert.Equal("amount must not be negative", error.InnerException?.Message);
            await handle.TerminateAsync();
        });
    }

    [Fact]
    public async Task StartUpdate_WaitForAccepted_ResultAvailableLater()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        var result = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            var update = await handle.StartUpdateAsync(wf => wf.AddAsync(3), new(WorkflowUpdateStage.Accepted));
            var value = await update.GetResultAsync();
            await handle.TerminateAsync();
            return value;
        });
        Assert.Equal(3, result);
    }
}
