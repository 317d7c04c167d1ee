using System.Net;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>After the whole schedule failed (GAVE_UP), the operator's retry starts a new round with the same notify id.</summary>
public sealed class NotificationGaveUp_Specs : IAsyncLifetime, IDisposable
{
    private readonly MerchantEndpoint _merchant = new() { Answer = (HttpStatusCode.ServiceUnavailable, "down") };
    private ApiProcess _api = null!;
    private PaymentsClient _client = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiProcess.StartAsync(settings: new Dictionary<string, string> { ["Payments__Notify__Schedule"] = "0s,1s" });
        _client = new PaymentsClient(_api.BaseAddress);
    }

    [Fact]
    public async Task Retry_AfterGaveUp_StartsANewRoundWithTheSameNotifyId()
    {
        var shop = await _client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await BankCallback_Specs.AssertSuccessAsync(await _client.SendCallbackAsync(paymentId, "B-1", 10000));
        var gaveUp = await _client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "GAVE_UP");
        _merchant.Answer = (HttpStatusCode.OK, "success");

        using var retry = await _client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null);
        var delivered = await _client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "DELIVERED");

        Assert.Equal("GAVE_UP", (string?)gaveUp["status"]);
        Assert.Equal(2, gaveUp["attempts"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal([1, 2, 3], delivered["attempts"]!.AsArray().Select(a => (int)a!["number"]!));
        Assert.Equal((string?)gaveUp["notifyId"], (string?)delivered["notifyId"]);
        Assert.Single(_merchant.Received.Select(r => r.NotifyId).Distinct());
        Assert.Equal(3, _merchant.Received.Count);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose()
    {
        _client?.Dispose();
        _merchant.Dispose();
    }
}
