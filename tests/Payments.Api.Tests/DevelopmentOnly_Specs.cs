namespace Payments.Api.Tests;

/// <summary>The well-known development secrets exist only in Development: elsewhere a missing one stops the start, naming the setting.</summary>
public sealed class DevelopmentOnly_Specs
{
    [Theory]
    [InlineData("Payments__BankSecret", "Payments:OperatorToken")]
    [InlineData("Payments__OperatorToken", "Payments:BankSecret")]
    public async Task Start_OutsideDevelopmentWithASecretMissing_StopsNamingTheSetting(string configured, string missing)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            [configured] = "a-configured-secret",
            // Addresses nothing listens on: the start must stop before it reaches for them.
            ["ConnectionStrings__Payments"] = "Host=127.0.0.1;Port=1;Database=payments;Username=payments",
            ["Temporal__Address"] = "127.0.0.1:1",
        };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiProcess.StartAsync(settings: settings));

        Assert.Contains($"{missing} must be configured outside Development", refused.Message, StringComparison.Ordinal);
    }
}
