using System.Diagnostics;
using System.Net;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>
/// The embedded PostgreSQL killed from outside (SIGKILL to its postmaster) is restarted on its port by the platform:
/// readiness answers 503 meanwhile and 200 after, and payments go on without restarting the platform.
/// </summary>
public sealed class PostgresSupervision_Specs : IAsyncLifetime, IDisposable
{
    private readonly MerchantEndpoint _merchant = new();
    private ApiProcess _api = null!;

    public async Task InitializeAsync() => _api = await ApiProcess.StartAsync();

    [Fact]
    public async Task PostmasterKilled_Restarted_ReadinessRecoversAndPaymentsComplete()
    {
        using var client = new PaymentsClient(_api.BaseAddress);
        var shop = await client.NewShopAsync();
        var before = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await BankCallback_Specs.AssertSuccessAsync(await client.SendCallbackAsync(before, "B-1", 10000));

        KillPostmaster();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadinessUntilAsync(client, status => status != HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, await ReadinessUntilAsync(client, status => status == HttpStatusCode.OK));
        var after = (string)(await PaymentsClient.CreatePaymentAsync(shop, 20000, _merchant.NotifyUrl))["paymentId"]!;
        await BankCallback_Specs.AssertSuccessAsync(await client.SendCallbackAsync(after, "B-2", 20000));

        foreach (var paymentId in new[] { before, after })
        {
            var payment = await client.WaitForPaymentAsync(paymentId, p => (string?)p["notification"] == "DELIVERED");
            Assert.Equal("PAID", (string?)payment["status"]);
            Assert.Equal("POSTED", (string?)payment["accounting"]);
        }
        Assert.Equal(9940 + 19880, (long)(await client.GetAsync($"/api/merchants/{shop.MerchantId}/account"))["balance"]!);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _merchant.Dispose();

    private void KillPostmaster()
    {
        var pidFile = Path.Combine(_api.DataFolder, "postgres", "data", "postmaster.pid");
        var postmaster = int.Parse(File.ReadLines(pidFile).First(), System.Globalization.CultureInfo.InvariantCulture);
        using var kill = Process.Start("kill", ["-KILL", postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Reads <c>/health/ready</c> until its status satisfies <paramref name="done"/> (60 s at most); the last status.</summary>
    private static async Task<HttpStatusCode> ReadinessUntilAsync(PaymentsClient client, Func<HttpStatusCode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.Anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative));
            if (done(response.StatusCode) || DateTime.UtcNow > deadline)
            {
                return response.StatusCode;
            }
            await Task.Delay(50);
        }
    }
}
