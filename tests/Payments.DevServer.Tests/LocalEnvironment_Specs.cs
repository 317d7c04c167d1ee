using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Our launcher as <c>DevServerOptions.ExistingPath</c>: <c>StartLocalAsync</c> offline, real time.</summary>
[Collection(LocalGroup.Name)]
public class LocalEnvironment_Specs(LocalEnvironmentFixture fixture)
{
    [Fact]
    public async Task ExecuteWorkflow_ActivitiesAndTimer_ReturnsResult()
    {
        var client = fixture.Environment.Client;
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddWorkflow<ActivityChainWorkflow>().AddAllActivities(new TestActivities()));
        var result = await worker.ExecuteAsync(() => client.ExecuteWorkflowAsync((ActivityChainWorkflow wf) => wf.RunAsync("local"), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("LOCAL-AGAIN", result);
    }

    [Fact]
    public async Task DescribeNamespace_Default_IsRegistered()
    {
        var response = await fixture.Environment.Client.WorkflowService.DescribeNamespaceAsync(new() { Namespace = "default" });
        Assert.Equal(Temporalio.Api.Enums.V1.NamespaceState.Registered, response.NamespaceInfo.State);
    }
}
