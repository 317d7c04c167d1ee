using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>The main flow end to end: a payment, the bank's callback, then PAID with one balanced voucher and the merchant notified.</summary>
[Collection(SharedApi.Name)]
public sealed class MainFlow_Specs(ApiFixture api) : IDisposable
{
    private readonly MerchantEndpoint _merchant = new();

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task SuccessfulCallback_CompletesThePayment_PaidOnceBalancedAndNotified()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl, "A-1"))["paymentId"]!;

        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-778", 10000));
        var payment = await Client.WaitForPaymentAsync(
            paymentId, p => (string?)p["step"] == "DONE" && (string?)p["notification"] == "DELIVERED");

        Assert.Equal("PAID", (string?)payment["status"]);
        Assert.Equal("B-778", (string?)payment["bankTxnId"]);
        Assert.Equal("2026-11-23T12:00:00Z", (string?)payment["paidAt"]);
        Assert.Equal((60L, 9940L, 100L), ((long)payment["fee"]!, (long)payment["netAmount"]!, (long)payment["points"]!));
        Assert.Equal(("CONFIRMED", "CONFIRMED", "POSTED"), ((string?)payment["fundAccount"], (string?)payment["pointsAccount"], (string?)payment["accounting"]));
        Assert.Equal("PAID", (string?)(await Client.GetAsync("/api/merchant/orders/A-1", shop.Client))["status"]);

        var voucher = Assert.Single((await Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray())!.AsObject();
        var lines = voucher["lines"]!.AsArray().Select(l => ((string)l!["account"]!, (long)l["debit"]!, (long)l["credit"]!)).ToList();
        Assert.Equal(lines.Sum(l => l.Item2), lines.Sum(l => l.Item3));
        Assert.Equal(
            [("1002 bank-clearing", 10000L, 0L), ($"2202 merchant-payable:{shop.MerchantId}", 0L, 9940L), ("6001 fee-income", 0L, 60L)],
            lines.OrderBy(l => l.Item1, StringComparer.Ordinal));

        var account = await Client.GetAsync($"/api/merchants/{shop.MerchantId}/account");
        Assert.Equal((9940L, 0L), ((long)account["balance"]!, (long)account["pendingCredit"]!));
        var points = await Client.GetAsync($"/api/users/{shop.UserId}/points");
        Assert.Equal((100L, 0L), ((long)points["points"]!, (long)points["pendingPoints"]!));

        var received = Assert.Single(_merchant.Received);
        var body = JsonNode.Parse(received.Body)!.AsObject();
        Assert.Equal((paymentId, "A-1", 10000L, "CNY", "PAID"), ((string)body["paymentId"]!, (string)body["merchantOrderNo"]!, (long)body["amount"]!, (string)body["currency"]!, (string)body["status"]!));
        Assert.Equal(received.NotifyId, (string?)body["notifyId"]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(shop.NotifySecret), Encoding.UTF8.GetBytes($"{received.Timestamp}.{received.Body}")));
        Assert.Equal(expected, received.Signature);
        Assert.True(long.TryParse(received.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _));

        var notification = await Client.GetAsync($"/api/payments/{paymentId}/notification", shop.Client);
        Assert.Equal("DELIVERED", (string?)notification["status"]);
        Assert.Equal(received.NotifyId, (string?)notification["notifyId"]);
        var attempt = Assert.Single(notification["attempts"]!.AsArray())!;
        Assert.Equal((1, 200, "DELIVERED"), ((int)attempt["number"]!, (int)attempt["httpStatus"]!, (string)attempt["outcome"]!));
        Assert.Null(notification["nextAttemptAt"]);
    }

    public void Dispose() => _merchant.Dispose();
}
