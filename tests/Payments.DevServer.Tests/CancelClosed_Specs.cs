using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Temporal answers a cancel request for a workflow that already closed as a success that changes nothing.</summary>
[Collection(InProcessGroup.Name)]
public class CancelClosed_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Cancel_CompletedWorkflow_SucceedsAndLeavesHistoryAlone()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        var handle = await worker.ExecuteAsync(async () =>
        {
            var started = await server.Client.StartWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("closed"), new(Guid.NewGuid().ToString(), queue));
            await started.GetResultAsync();
            return started;
        });
        var before = (await handle.DescribeAsync()).HistoryLength;
        await handle.CancelAsync();
        var after = await handle.DescribeAsync();
        Assert.Equal(WorkflowExecutionStatus.Completed, after.Status);
        Assert.Equal(before, after.HistoryLength);
    }
}
