using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>A run that continued as new has no result of its own: only following the chain reaches one.</summary>
[Collection(InProcessGroup.Name)]
public class ContinueAsNewResult_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task GetResult_FirstRunWithoutFollowingRuns_ThrowsContinuedAsNew()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<ContinueAsNewWorkflow>());
        var (error, lastResult) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((ContinueAsNewWorkflow wf) => wf.RunAsync(1), new(Guid.NewGuid().ToString(), queue));
            var continued = await Assert.ThrowsAsync<WorkflowContinuedAsNewException>(() => handle.GetResultAsync(followRuns: false));
            return (continued, await handle.GetResultAsync());
        });
        Assert.False(string.IsNullOrEmpty(error.NewRunId));
        Assert.Equal(42, lastResult);
    }
}
