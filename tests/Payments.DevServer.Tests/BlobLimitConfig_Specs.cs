using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>The payload limits given as <c>--dynamic-config-value</c> act: a large input is refused, a large activity result fails the activity.</summary>
public class BlobLimitConfig_Specs
{
    [Fact]
    public async Task StartWorkflow_InputPastBlobError_RefusedWithTemporalsMessage()
    {
        await using var server = await ConfiguredServer.StartAsync("limit.blobSize.warn=256", "limit.blobSize.error=1024");
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.StartWorkflowAsync(
            (HelloWorkflow wf) => wf.RunAsync(new string('x', 2048)), new(Guid.NewGuid().ToString(), TestQueues.Unique())));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
        Assert.Equal("Blob data size exceeds limit.", error.Message);
    }

    [Fact]
    public async Task ActivityResult_PastBlobError_ActivityFailsForGood()
    {
        await using var server = await ConfiguredServer.StartAsync("limit.blobSize.warn=256", "limit.blobSize.error=1024");
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<LargeResultWorkflow>().AddActivity(LargeResultActivities.Text));
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(
            () => server.Client.ExecuteWorkflowAsync((LargeResultWorkflow wf) => wf.RunAsync(2048), new(Guid.NewGuid().ToString(), queue))));
        var activityFailure = Assert.IsType<ActivityFailureException>(error.InnerException);
        Assert.Equal("Complete result exceeds size limit.", activityFailure.InnerException?.Message);
        Assert.Equal(Temporalio.Api.Enums.V1.RetryState.NonRetryableFailure, activityFailure.RetryState);
        Assert.Contains(server.Warnings, warning => warning.Contains("activity result", StringComparison.Ordinal));
    }
}
