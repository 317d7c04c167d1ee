using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>A merchant creates payment orders, idempotently on its merchantOrderNo; business rules refuse with 422.</summary>
[Collection(SharedApi.Name)]
public sealed class PaymentCreation_Specs(ApiFixture api)
{
    private const string NotifyUrl = "http://127.0.0.1:9/notify";

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task CreatePayment_New_Answers201Created()
    {
        var shop = await Client.NewShopAsync();

        var payment = await PaymentsClient.CreatePaymentAsync(shop, 10000, NotifyUrl, "A-1");

        Assert.StartsWith("pay_", (string?)payment["paymentId"], StringComparison.Ordinal);
        Assert.Equal(shop.MerchantId, (string?)payment["merchantId"]);
        Assert.Equal("A-1", (string?)payment["merchantOrderNo"]);
        Assert.Equal(shop.UserId, (string?)payment["userId"]);
        Assert.Equal(10000, (long)payment["amount"]!);
        Assert.Equal("CNY", (string?)payment["currency"]);
        Assert.Equal("CREATED", (string?)payment["status"]);
        Assert.EndsWith("Z", (string?)payment["createdAt"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreatePayment_SameOrderSameFields_Answers200WithTheExistingOrder()
    {
        var shop = await Client.NewShopAsync();
        var first = await PaymentsClient.CreatePaymentAsync(shop, 10000, NotifyUrl, "A-1");

        using var again = await shop.Client.PostAsJsonAsync("/api/payments", Order(shop, "A-1", 10000));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal((string?)first["paymentId"], (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["paymentId"]);
    }

    [Fact]
    public async Task CreatePayment_SameOrderOtherAmount_Answers409AndKeepsTheOrder()
    {
        var shop = await Client.NewShopAsync();
        var first = await PaymentsClient.CreatePaymentAsync(shop, 10000, NotifyUrl, "A-1");

        await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsJsonAsync("/api/payments", Order(shop, "A-1", 20000)), HttpStatusCode.Conflict);

        var order = await Client.GetAsync("/api/merchant/orders/A-1", shop.Client);
        Assert.Equal((string?)first["paymentId"], (string?)order["paymentId"]);
        Assert.Equal(10000, (long)order["amount"]!);
    }

    [Fact]
    public async Task CreatePayment_UnknownUser_Answers422AndCreatesNothing()
    {
        var shop = await Client.NewShopAsync();

        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsJsonAsync("/api/payments", Order(shop, "A-1", 10000) with { userId = PaymentsClient.Unique("u") }), HttpStatusCode.UnprocessableEntity);

        await PaymentsClient.AssertProblemAsync(await shop.Client.GetAsync(new Uri("/api/merchant/orders/A-1", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreatePayment_CurrencyOtherThanTheMerchants_Answers422()
    {
        var shop = await Client.NewShopAsync();

        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsJsonAsync("/api/payments", Order(shop, "A-1", 10000) with { currency = "USD" }), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task CreatePayment_FrozenMerchant_Answers422()
    {
        var shop = await Client.NewShopAsync();
        (await Client.Operator.PostAsync(new Uri($"/api/merchants/{shop.MerchantId}/freeze", UriKind.Relative), null)).Dispose();

        await PaymentsClient.AssertProblemAsync(await shop.Client.PostAsJsonAsync("/api/payments", Order(shop, "A-1", 10000)), HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task ReadPayment_New_ShowsAmountsFromTheMerchantsFee()
    {
        var shop = await Client.NewShopAsync(feeBps: 60);
        var created = await PaymentsClient.CreatePaymentAsync(shop, 10050, NotifyUrl);

        var payment = await Client.GetAsync($"/api/payments/{created["paymentId"]}");

        Assert.Equal(60, (long)payment["fee"]!);
        Assert.Equal(9990, (long)payment["netAmount"]!);
        Assert.Equal(100, (long)payment["points"]!);
        Assert.Equal("CREATED", (string?)payment["status"]);
        Assert.Equal($"payment-{created["paymentId"]}", (string?)payment["workflowId"]);
        Assert.Equal("NONE", (string?)payment["fundAccount"]);
        Assert.Equal("NONE", (string?)payment["pointsAccount"]);
        Assert.Equal("NONE", (string?)payment["accounting"]);
        Assert.Equal("NONE", (string?)payment["notification"]);
    }

    [Fact]
    public async Task ListPayments_ByMerchantWithLimit_PagesNewestFirstWithACursor()
    {
        var shop = await Client.NewShopAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((string)(await PaymentsClient.CreatePaymentAsync(shop, 1000 + i, NotifyUrl))["paymentId"]!);
        }

        var first = await Client.GetNodeAsync($"/api/payments?merchantId={shop.MerchantId}&limit=2");
        var second = await Client.GetNodeAsync($"/api/payments?merchantId={shop.MerchantId}&limit=2&cursor={first["nextCursor"]}");
        var created = await Client.GetNodeAsync($"/api/payments?merchantId={shop.MerchantId}&status=CREATED");
        var paid = await Client.GetNodeAsync($"/api/payments?merchantId={shop.MerchantId}&status=PAID");
        var unfiltered = await Client.GetNodeAsync($"/api/payments?status=&merchantId={shop.MerchantId}&limit=&cursor=");

        Assert.Equal([ids[2], ids[1]], first["items"]!.AsArray().Select(p => (string)p!["paymentId"]!));
        Assert.Equal([ids[0]], second["items"]!.AsArray().Select(p => (string)p!["paymentId"]!));
        Assert.Null((string?)second["nextCursor"]);
        Assert.Equal(3, created["items"]!.AsArray().Count);
        Assert.Empty(paid["items"]!.AsArray());
        Assert.Equal(3, unfiltered["items"]!.AsArray().Count);
    }

    private static PaymentOrder Order(Shop shop, string merchantOrderNo, long amount) =>
        new(merchantOrderNo, shop.UserId, amount, "CNY", NotifyUrl, "2 books");

    private sealed record PaymentOrder(string merchantOrderNo, string userId, long amount, string currency, string notifyUrl, string subject);
}
