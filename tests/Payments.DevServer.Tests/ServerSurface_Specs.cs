using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace Payments.DevServer.Tests;

/// <summary>What a client learns of the server itself: health and the namespace's capabilities.</summary>
[Collection(InProcessGroup.Name)]
public class ServerSurface_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task CheckHealth_RunningServer_IsServing()
    {
        Assert.True(await server.Client.Connection.CheckHealthAsync());
    }

    [Fact]
    public async Task DescribeNamespace_Default_AdvertisesPollCompleteOnShutdown()
    {
        var description = await server.Client.WorkflowService.DescribeNamespaceAsync(new DescribeNamespaceRequest { Namespace = "default" });
        Assert.True(description.NamespaceInfo.Capabilities.WorkerPollCompleteOnShutdown);
    }
}
