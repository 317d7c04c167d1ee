using Temporalio.Client;

namespace Payments.DevServer.Tests;

/// <summary>A workflow's static summary and details, given at start, come back from describe.</summary>
[Collection(InProcessGroup.Name)]
public class UserMetadata_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Describe_StartedWithSummaryAndDetails_ReturnsThem()
    {
        var handle = await server.Client.StartWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("metadata"), new(Guid.NewGuid().ToString(), TestQueues.Unique())
        {
            StaticSummary = "Payment p-1 completion",
            StaticDetails = "Captures the payment, then notifies the merchant.",
        });
        var description = await handle.DescribeAsync();
        Assert.Equal("Payment p-1 completion", await description.GetStaticSummaryAsync());
        Assert.Equal("Captures the payment, then notifies the merchant.", await description.GetStaticDetailsAsync());
        await handle.TerminateAsync();
    }
}
