using System.Net;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>With Temporal out of reach the bank's callback is not acknowledged (503, so the bank retries), while reads still answer from PostgreSQL.</summary>
public sealed class TemporalUnreachable_Specs : IAsyncLifetime, IDisposable
{
    private ApiProcess _api = null!;
    private PaymentsClient _client = null!;

    public async Task InitializeAsync()
    {
        // Port 1 on loopback: nothing listens, every connection is refused at once.
        _api = await ApiProcess.StartAsync(settings: new Dictionary<string, string> { ["Temporal__Address"] = "127.0.0.1:1" });
        _client = new PaymentsClient(_api.BaseAddress);
    }

    [Fact]
    public async Task Callback_TemporalUnreachable_Answers503AndTheOrderStillReads()
    {
        var shop = await _client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, "http://127.0.0.1:9/notify"))["paymentId"]!;

        await PaymentsClient.ProblemAsync(await _client.SendCallbackAsync(paymentId, "B-1", 10000), HttpStatusCode.ServiceUnavailable);

        var payment = await _client.GetAsync($"/api/payments/{paymentId}");
        Assert.Equal("PROCESSING", (string?)payment["status"]);
        Assert.Equal("RECEIVED", (string?)payment["step"]);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _client?.Dispose();
}
