using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>An update the workflow accepted but never finished fails as Temporal fails it when the workflow completes.</summary>
[Collection(InProcessGroup.Name)]
public class UpdateOutlivedByWorkflow_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task UpdateResult_AcceptedThenWorkflowCompletes_FailsWithAcceptedUpdateCompletedWorkflow()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<UnfinishedUpdateWorkflow>());
        var error = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((UnfinishedUpdateWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            var update = await handle.StartUpdateAsync(wf => wf.WaitForeverAsync(), new(WorkflowUpdateStage.Accepted));
            await handle.SignalAsync(wf => wf.FinishAsync());
            await handle.GetResultAsync();
            return await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => update.GetResultAsync());
        });
        var failure = Assert.IsType<ApplicationFailureException>(error.InnerException);
        Assert.Equal("AcceptedUpdateCompletedWorkflow", failure.ErrorType);
        Assert.Equal("Workflow Update failed because the Workflow completed before the Update completed.", failure.Message);
    }
}
