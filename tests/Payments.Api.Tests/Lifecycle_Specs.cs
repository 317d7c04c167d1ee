using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>An API whose orders expire after 5 s and whose workflow asks the bank 1 s after creation.</summary>
public sealed class ShortLivedOrdersApi : IAsyncLifetime
{
    private ApiProcess? _api;

    public PaymentsClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Payments__Bank__QuerySchedule"] = "1s",
            ["Payments__Orders__ExpireAfter"] = "00:00:05",
        });
        Client = new PaymentsClient(_api.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}

/// <summary>
/// Over HTTP with the bank simulator: a lost callback is recovered by the bank query, an order nobody paid is closed at
/// expiry and the merchant told, and a debit after the close goes back to the shopper with no operator, with its voucher.
/// </summary>
public sealed class Lifecycle_Specs(ShortLivedOrdersApi api) : IClassFixture<ShortLivedOrdersApi>, IDisposable
{
    private readonly MerchantEndpoint _merchant = new();

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task LostCallback_TheBankDebitedButNeverCalledBack_PaidFromTheBankQuery()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;

        var debit = await DebitAsync(paymentId, deliverCallback: false);
        var paid = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE");

        Assert.Equal(("PAID", (string?)debit["bankTxnId"]), ((string?)paid["status"], (string?)paid["bankTxnId"]));
        Assert.Equal((string?)debit["paidAt"], (string?)paid["paidAt"]);
        Assert.Equal(9940, (long)(await Client.GetAsync($"/api/merchants/{shop.MerchantId}/account"))["balance"]!);
    }

    [Fact]
    public async Task Unpaid_ExpiresClosedAndNotified_ThenALateDebitIsRefundedWithNoOperator()
    {
        var shop = await Client.NewShopAsync();
        var created = await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl);
        var paymentId = (string)created["paymentId"]!;

        var closed = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "CLOSED");
        var notified = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["notification"] == "DELIVERED");
        var late = await DebitAsync(paymentId, deliverCallback: true);
        var lateTxn = (string)late["bankTxnId"]!;
        var exception = await WaitForExceptionAsync(lateTxn, e => (string?)e["refundStatus"] == "REFUNDED");

        Assert.NotNull((string?)created["expiresAt"]);
        Assert.Equal(("CLOSED", "DONE"), ((string?)closed["status"], (string?)closed["step"]));
        Assert.Equal("CLOSED", (string?)JsonNode.Parse(Assert.Single(_merchant.Received).Body)!["status"]);
        Assert.Equal("DELIVERED", (string?)notified["notification"]);
        Assert.Equal(paymentId, (string?)exception["paymentId"]);
        Assert.Equal("CLOSED", (string?)(await Client.GetAsync($"/api/payments/{paymentId}"))["status"]);
        Assert.Single((await Client.GetNodeAsync("/simulator/bank/refunds")).AsArray(), r => (string?)r!["refundId"] == $"rfd_{lateTxn}");
        // Posted before the exception reads REFUNDED: the money in and out again, and nothing that counts the order as paid.
        var voucher = Assert.Single((await Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray())!;
        Assert.Equal(($"vch_{paymentId}-{lateTxn}", "LATE_DEBIT_REFUND", lateTxn), ((string?)voucher["voucherId"], (string?)voucher["kind"], (string?)voucher["bankTxnId"]));
        var lines = voucher["lines"]!.AsArray().Select(l => ((string)l!["account"]!, (long)l["debit"]!, (long)l["credit"]!)).ToList();
        Assert.Equal(
            [("1002 bank-clearing", 10000L, 0L), ($"2241 refund-payable:{shop.UserId}", 0L, 10000L), ($"2241 refund-payable:{shop.UserId}", 10000L, 0L), ("1002 bank-clearing", 0L, 10000L)],
            lines);
    }

    public void Dispose() => _merchant.Dispose();

    private async Task<JsonObject> DebitAsync(string paymentId, bool deliverCallback)
    {
        using var response = await Client.Anonymous.PostAsJsonAsync(
            "/simulator/bank/debits", new { paymentId, amount = 10000, currency = "CNY", deliverCallback });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonNode> WaitForExceptionAsync(string bankTxnId, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var exception = (await Client.GetNodeAsync("/api/bank/exceptions")).AsArray().SingleOrDefault(e => (string?)e!["bankTxnId"] == bankTxnId);
            if ((exception is not null && done(exception)) || DateTime.UtcNow > deadline)
            {
                return exception ?? throw new InvalidOperationException($"No bank exception for {bankTxnId}.");
            }
            await Task.Delay(200);
        }
    }
}
