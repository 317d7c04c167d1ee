using System.Net.Http.Json;
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
    public async Task CreateAndCallback_TemporalUnreachable_Answer503AndTheOrderStaysReadable()
    {
        var shop = await _client.NewShopAsync();
        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsJsonAsync("/api/payments", new { merchantOrderNo = "A-1", userId = shop.UserId, amount = 10000, currency = "CNY", notifyUrl = "http://127.0.0.1:9/notify" }),
            HttpStatusCode.ServiceUnavailable);
        var order = await _client.GetAsync("/api/merchant/orders/A-1", shop.Client);
        var paymentId = (string)order["paymentId"]!;

        await PaymentsClient.AssertProblemAsync(await _client.SendCallbackAsync(paymentId, "B-1", 10000), HttpStatusCode.ServiceUnavailable);

        var payment = await _client.GetAsync($"/api/payments/{paymentId}");
        Assert.Equal(("CREATED", "WAITING_FOR_BANK", "B-1"), ((string?)payment["status"], (string?)payment["step"], (string?)payment["bankTxnId"]));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _client?.Dispose();
}
