using System.Net;
using Payments.Tests.Fixtures;

namespace Payments.Api.Tests;

/// <summary>
/// The well-known development secrets and the embedded parts exist only in Development: elsewhere a missing secret or
/// address stops the start, naming the setting, and no PostgreSQL cluster or Temporal server is started in its place.
/// </summary>
public sealed class DevelopmentOnly_Specs
{
    [Theory]
    [InlineData("Payments:OperatorToken")]
    [InlineData("Payments:BankSecret")]
    [InlineData("ConnectionStrings:Payments")]
    [InlineData("Temporal:Address")]
    public async Task Start_OutsideDevelopmentWithASettingMissing_StopsNamingItAndStartsNothingInItsPlace(string missing)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Payments__OperatorToken"] = "a-configured-token",
            ["Payments__BankSecret"] = "a-configured-secret",
            // Addresses nothing listens on: the start must stop before it reaches for them.
            ["ConnectionStrings__Payments"] = "Host=127.0.0.1;Port=1;Database=payments;Username=payments",
            ["Temporal__Address"] = "127.0.0.1:1",
        };
        settings.Remove(missing.Replace(":", "__", StringComparison.Ordinal));
        var dataFolder = Path.Combine(Path.GetTempPath(), $"payments-api-{Guid.NewGuid():N}");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiProcess.StartAsync(dataFolder, settings));

        Assert.Contains($"{missing} must be configured outside Development", refused.Message, StringComparison.Ordinal);
        // The embedded mode keeps its cluster and Temporal state there: nothing was started.
        Assert.False(Directory.Exists(dataFolder), $"Something was started in {dataFolder}:{Environment.NewLine}{refused.Message}");
    }
}

/// <summary>Outside Development the bank simulator is not served unless asked for: nobody can list or plant refunds there.</summary>
public sealed class BankSimulatorOutsideDevelopment_Specs(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Theory]
    [InlineData(null, HttpStatusCode.NotFound)]
    [InlineData("true", HttpStatusCode.OK)]
    public async Task Simulator_InProduction_IsServedOnlyWhenEnabled(string? enabled, HttpStatusCode expected)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Payments__OperatorToken"] = "production-operator-token",
            ["Payments__BankSecret"] = "production-bank-secret",
            ["ConnectionStrings__Payments"] = database.ConnectionString,
            // Nothing here needs Temporal: the client connects on first use.
            ["Temporal__Address"] = "127.0.0.1:1",
        };
        if (enabled is not null)
        {
            settings["Payments__BankSimulator__Enabled"] = enabled;
        }
        await using var api = await ApiProcess.StartAsync(settings: settings);
        using var client = api.CreateClient();

        using var refunds = await client.GetAsync(new Uri("/simulator/bank/refunds", UriKind.Relative));

        Assert.Equal(expected, refunds.StatusCode);
    }
}
