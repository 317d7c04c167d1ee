using Temporalio.Exceptions;

namespace Payments.DevServer.Tests;

/// <summary>Nexus, worker deployments and versioning rules are left out: their calls answer Unimplemented naming the feature.</summary>
[Collection(InProcessGroup.Name)]
public class OutOfScope_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ListWorkerDeployments_LeftOut_UnimplementedNamingWorkerDeployments()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.WorkflowService.ListWorkerDeploymentsAsync(new() { Namespace = server.Client.Options.Namespace }));
        Assert.Equal(RpcException.StatusCode.Unimplemented, error.Code);
        Assert.StartsWith("Worker deployments is not supported by the Payments devserver (method ListWorkerDeployments)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListNexusEndpoints_LeftOut_UnimplementedNamingNexus()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.OperatorService.ListNexusEndpointsAsync(new()));
        Assert.Equal(RpcException.StatusCode.Unimplemented, error.Code);
        Assert.StartsWith("Nexus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetWorkerVersioningRules_LeftOut_UnimplementedNamingVersioningRules()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.WorkflowService.GetWorkerVersioningRulesAsync(new() { Namespace = server.Client.Options.Namespace, TaskQueue = "any" }));
        Assert.Equal(RpcException.StatusCode.Unimplemented, error.Code);
        Assert.StartsWith("Worker versioning rules", error.Message, StringComparison.Ordinal);
    }
}
