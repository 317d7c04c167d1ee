using System.Net;
using System.Text;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>What the API refuses before any business rule: malformed JSON, wrong types, out-of-range values, oversized bodies.</summary>
[Collection(SharedApi.Name)]
public sealed class Problems_Specs(ApiFixture api)
{
    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task CreatePayment_MalformedJson_Answers400()
    {
        var shop = await Client.NewShopAsync();

        await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsync(new Uri("/api/payments", UriKind.Relative), Json("{ \"merchantOrderNo\": ")), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("\"10000\"")]
    [InlineData("100.5")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    [InlineData("true")]
    public async Task CreatePayment_AmountOfTheWrongType_Answers400NamingAmount(string amount)
    {
        var shop = await Client.NewShopAsync();
        var body = $$"""{ "merchantOrderNo": "o1", "userId": "{{shop.UserId}}", "amount": {{amount}}, "currency": "CNY", "notifyUrl": "http://127.0.0.1:9/n" }""";

        var problem = await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsync(new Uri("/api/payments", UriKind.Relative), Json(body)), HttpStatusCode.BadRequest);

        Assert.Equal(["amount"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task CreatePayment_EveryFieldInvalid_Answers400NamingEachFieldAndCreatesNothing()
    {
        var shop = await Client.NewShopAsync();
        var body = $$"""
            { "merchantOrderNo": "o 1", "userId": "", "amount": 0, "currency": "JPY", "notifyUrl": "ftp://x/y", "subject": "{{new string('s', 257)}}" }
            """;

        var problem = await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsync(new Uri("/api/payments", UriKind.Relative), Json(body)), HttpStatusCode.BadRequest);

        Assert.Equal(
            ["amount", "currency", "merchantOrderNo", "notifyUrl", "subject", "userId"],
            problem["errors"]!.AsObject().Select(e => e.Key).Order());
        var list = await Client.GetNodeAsync($"/api/payments?merchantId={shop.MerchantId}");
        Assert.Empty(list["items"]!.AsArray());
    }

    [Theory]
    [InlineData(1_000_000_000_001)]
    [InlineData(-1)]
    public async Task CreatePayment_AmountOutOfRange_Answers400(long amount)
    {
        var shop = await Client.NewShopAsync();
        var body = $$"""{ "merchantOrderNo": "o1", "userId": "{{shop.UserId}}", "amount": {{amount}}, "currency": "CNY", "notifyUrl": "http://127.0.0.1:9/n" }""";

        var problem = await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsync(new Uri("/api/payments", UriKind.Relative), Json(body)), HttpStatusCode.BadRequest);

        Assert.Equal(["amount"], problem["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task CreatePayment_BodyOver64KiB_Answers413()
    {
        var shop = await Client.NewShopAsync();
        var body = $$"""{ "merchantOrderNo": "o1", "subject": "{{new string('s', 70 * 1024)}}" }""";

        await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsync(new Uri("/api/payments", UriKind.Relative), Json(body)), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task BankCallback_BodyOver64KiB_Answers413()
    {
        await PaymentsClient.AssertProblemAsync(
            await Client.SendCallbackAsync($$"""{ "paymentId": "{{new string('p', 70 * 1024)}}" }"""), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ListPayments_InvalidQuery_Answers400NamingEachParameter()
    {
        var problem = await PaymentsClient.AssertProblemAsync(
            await Client.Operator.GetAsync(new Uri("/api/payments?status=LOST&limit=201&cursor=abc&merchantId=a%20b", UriKind.Relative)), HttpStatusCode.BadRequest);

        Assert.Equal(["cursor", "limit", "merchantId", "status"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task UnknownPayment_Answers404()
    {
        await PaymentsClient.AssertProblemAsync(await Client.Operator.GetAsync(new Uri("/api/payments/pay_unknown", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
