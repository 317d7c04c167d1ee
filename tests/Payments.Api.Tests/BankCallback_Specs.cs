using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>The bank's callback: signed, recorded once on its order, answered 200 only once the workflow exists.</summary>
[Collection(SharedApi.Name)]
public sealed class BankCallback_Specs(ApiFixture api) : IDisposable
{
    private readonly MerchantEndpoint _merchant = new();

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task Callback_BadSignature_Answers401AndChangesNothing()
    {
        var paymentId = await NewPaymentAsync();

        await PaymentsClient.AssertProblemAsync(
            await Client.SendCallbackAsync(PaymentsClient.Callback(paymentId, "B-1", 10000), secret: "not-the-bank"), HttpStatusCode.Unauthorized);

        Assert.Equal("CREATED", (string?)(await Client.GetAsync($"/api/payments/{paymentId}"))["status"]);
    }

    [Fact]
    public async Task Callback_StaleTimestamp_Answers401()
    {
        var paymentId = await NewPaymentAsync();

        await PaymentsClient.AssertProblemAsync(
            await Client.SendCallbackAsync(PaymentsClient.Callback(paymentId, "B-1", 10000), at: DateTimeOffset.UtcNow.AddSeconds(-301)), HttpStatusCode.Unauthorized);
        await PaymentsClient.AssertProblemAsync(
            await Client.SendCallbackAsync(PaymentsClient.Callback(paymentId, "B-1", 10000), at: DateTimeOffset.UtcNow.AddSeconds(301)), HttpStatusCode.Unauthorized);

        Assert.Equal("CREATED", (string?)(await Client.GetAsync($"/api/payments/{paymentId}"))["status"]);
    }

    [Fact]
    public async Task Callback_SignedButInvalidFields_Answers400NamingEachField()
    {
        var body = """{ "paymentId": "", "bankTxnId": "B 1", "amount": 0, "currency": "XXX", "result": "MAYBE" }""";

        var problem = await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync(body), HttpStatusCode.BadRequest);

        Assert.Contains("result", problem["errors"]!.AsObject().Select(e => e.Key));
        var missing = await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync("""{ "amount": 0, "currency": "XXX" }"""), HttpStatusCode.BadRequest);
        Assert.Equal(["amount", "bankTxnId", "currency", "paymentId", "result"], missing["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Callback_UnknownPayment_Answers404()
    {
        await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync("pay_unknown", "B-1", 10000), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Callback_Duplicate_Answers200AndNothingHappensTwice()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;

        await AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        await AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        var paid = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["accounting"] == "POSTED" && (string?)p["notification"] == "DELIVERED");
        await AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));

        Assert.Equal("PAID", (string?)paid["status"]);
        Assert.Single((await Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray());
        Assert.Equal(9940, (long)(await Client.GetAsync($"/api/merchants/{shop.MerchantId}/account"))["balance"]!);
        Assert.Equal(100, (long)(await Client.GetAsync($"/api/users/{shop.UserId}/points"))["points"]!);
        Assert.Single(_merchant.Received);
    }

    [Fact]
    public async Task Callback_OtherBankTxnIdOrOtherFields_Answers409()
    {
        var paymentId = await NewPaymentAsync();
        await AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));

        await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync(paymentId, "B-2", 10000), HttpStatusCode.Conflict);
        await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000, result: "FAILED"), HttpStatusCode.Conflict);

        Assert.Equal("B-1", (string?)(await Client.GetAsync($"/api/payments/{paymentId}"))["bankTxnId"]);
    }

    [Fact]
    public async Task Callback_AmountOrCurrencyMismatch_Answers422KeepsABankExceptionAndLeavesTheOrder()
    {
        var paymentId = await NewPaymentAsync();

        await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync(paymentId, "B-1", 9999), HttpStatusCode.UnprocessableEntity);
        await PaymentsClient.AssertProblemAsync(await Client.SendCallbackAsync(paymentId, "B-2", 10000, currency: "USD"), HttpStatusCode.UnprocessableEntity);

        var order = await Client.GetAsync($"/api/payments/{paymentId}");
        Assert.Equal("CREATED", (string?)order["status"]);
        Assert.Null((string?)order["bankTxnId"]);
        var exceptions = (await Client.GetNodeAsync("/api/bank/exceptions")).AsArray()
            .Select(e => e!.AsObject()).Where(e => (string?)e["paymentId"] == paymentId).OrderBy(e => (long)e["id"]!).ToList();
        Assert.Equal(2, exceptions.Count);
        Assert.Equal("B-1", (string?)exceptions[0]["bankTxnId"]);
        Assert.Equal(9999, (long)exceptions[0]["amount"]!);
        Assert.Equal("CNY", (string?)exceptions[0]["currency"]);
        Assert.False(string.IsNullOrEmpty((string?)exceptions[0]["reason"]));
        Assert.EndsWith("Z", (string?)exceptions[0]["receivedAt"], StringComparison.Ordinal);
        Assert.Equal("USD", (string?)exceptions[1]["currency"]);
    }

    [Fact]
    public async Task Callback_BankSaysFailed_PaymentEndsFailedWithNothingCredited()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;

        await AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000, result: "FAILED"));

        var failed = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE");
        Assert.Equal("FAILED", (string?)failed["status"]);
        Assert.Empty((await Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray());
        Assert.Equal(0, (long)(await Client.GetAsync($"/api/merchants/{shop.MerchantId}/account"))["balance"]!);
    }

    public void Dispose() => _merchant.Dispose();

    internal static async Task AssertSuccessAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("success", (string?)(await response.Content.ReadFromJsonAsync<JsonObject>())!["result"]);
        }
    }

    private async Task<string> NewPaymentAsync() =>
        (string)(await PaymentsClient.CreatePaymentAsync(await Client.NewShopAsync(), 10000, _merchant.NotifyUrl))["paymentId"]!;
}
