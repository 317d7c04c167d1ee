using Payments.Workflows.Tests.Infrastructure;

namespace Payments.Workflows.Tests;

/// <summary>The standalone worker signs refunds with the bank secret: outside Development a missing one stops its start, naming the setting.</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class WorkerSecrets_Specs(WorkflowEnvironmentFixture fixture)
{
    [Fact]
    public void Start_OutsideDevelopmentWithoutBankSecret_StopsNamingTheSetting()
    {
        using var worker = WorkerProcess.Start(
            fixture.Client.Connection.Options.TargetHost!, fixture.ConnectionString, new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Production" });

        Assert.True(worker.WaitForExit(TimeSpan.FromSeconds(60)), $"The worker kept running without a bank secret:{Environment.NewLine}{worker.Output}");
        Assert.Contains("Payments:BankSecret must be configured outside Development", worker.Output, StringComparison.Ordinal);
    }
}
