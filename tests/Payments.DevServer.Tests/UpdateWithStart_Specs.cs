using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Update-with-start starts the workflow (or, with use-existing, finds it running) and updates it in one call.</summary>
[Collection(InProcessGroup.Name)]
public class UpdateWithStart_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ExecuteUpdateWithStart_NoWorkflowYet_StartsItAndReturnsTheUpdateResult()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var start = StartOperation(Guid.NewGuid().ToString(), queue, WorkflowIdConflictPolicy.UseExisting);
            var result = await server.Client.ExecuteUpdateWithStartWorkflowAsync((UpdatableWorkflow wf) => wf.AddAsync(5), new(start));
            var handle = await start.GetHandleAsync();
            await handle.SignalAsync(wf => wf.FinishAsync());
            Assert.Equal((5, 5), (result, await handle.GetResultAsync()));
        });
    }

    [Fact]
    public async Task ExecuteUpdateWithStart_UseExistingOnRunningWorkflow_UpdatesThatRun()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var id = Guid.NewGuid().ToString();
            var running = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(id, queue));
            await running.ExecuteUpdateAsync(wf => wf.AddAsync(5));
            var start = StartOperation(id, queue, WorkflowIdConflictPolicy.UseExisting);
            var result = await server.Client.ExecuteUpdateWithStartWorkflowAsync((UpdatableWorkflow wf) => wf.AddAsync(7), new(start));
            Assert.Equal(12, result);
            Assert.Equal(running.ResultRunId, (await start.GetHandleAsync()).ResultRunId);
            await running.TerminateAsync();
        });
    }

    [Fact]
    public async Task ExecuteUpdateWithStart_FailPolicyOnRunningWorkflow_ThrowsAlreadyStartedAndUpdatesNothing()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UpdatableWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var id = Guid.NewGuid().ToString();
            var running = await server.Client.StartWorkflowAsync((UpdatableWorkflow wf) => wf.RunAsync(), new(id, queue));
            var start = StartOperation(id, queue, WorkflowIdConflictPolicy.Fail);
            var error = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(
                () => server.Client.ExecuteUpdateWithStartWorkflowAsync((UpdatableWorkflow wf) => wf.AddAsync(7), new(start)));
            Assert.Equal(running.ResultRunId, error.RunId);
            await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => start.GetHandleAsync());
            await running.SignalAsync(wf => wf.FinishAsync());
            Assert.Equal(0, await running.GetResultAsync());
        });
    }

    private static WithStartWorkflowOperation<WorkflowHandle<UpdatableWorkflow, int>> StartOperation(string id, string queue, WorkflowIdConflictPolicy conflictPolicy) =>
        WithStartWorkflowOperation.Create((UpdatableWorkflow wf) => wf.RunAsync(), new(id, queue) { IdConflictPolicy = conflictPolicy });
}
