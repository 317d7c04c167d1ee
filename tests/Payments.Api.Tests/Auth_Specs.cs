using System.Net;
using System.Net.Http.Json;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>Credentials: 401 for a missing or unknown one, 403 for a known one that may not do this.</summary>
[Collection(SharedApi.Name)]
public sealed class Auth_Specs(ApiFixture api)
{
    private PaymentsClient Client => api.Client;

    [Theory]
    [InlineData("GET", "/api/payments")]
    [InlineData("POST", "/api/merchants")]
    [InlineData("POST", "/api/payments")]
    [InlineData("GET", "/api/bank/exceptions")]
    [InlineData("GET", "/api/accounting/vouchers?paymentId=p1")]
    public async Task AnyEndpoint_NoCredentials_Answers401(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(new { }) };

        using var response = await Client.Anonymous.SendAsync(request);

        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        await PaymentsClient.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task OperatorEndpoint_UnknownBearerToken_Answers401AndCreatesNothing()
    {
        using var stranger = Client.AsMerchant("not-a-key");
        var merchantId = PaymentsClient.Unique("m");

        await PaymentsClient.AssertProblemAsync(
            await stranger.PostAsJsonAsync("/api/merchants", new { merchantId, name = "x", currency = "CNY" }), HttpStatusCode.Unauthorized);

        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.GetAsync(new Uri($"/api/merchants/{merchantId}/account", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OperatorEndpoint_MerchantKey_Answers403()
    {
        var shop = await Client.NewShopAsync();

        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsJsonAsync("/api/users", new { userId = PaymentsClient.Unique("u"), name = "x" }), HttpStatusCode.Forbidden);
        await PaymentsClient.AssertProblemAsync(await shop.Client.GetAsync(new Uri("/api/payments", UriKind.Relative)), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task MerchantEndpoint_OperatorToken_Answers403()
    {
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/payments", new { merchantOrderNo = "o1" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ReadPayment_AnotherMerchantsPayment_Answers403()
    {
        var owner = await Client.NewShopAsync();
        var other = await Client.NewShopAsync();
        var payment = await PaymentsClient.CreatePaymentAsync(owner, 10000, "http://127.0.0.1:9/notify");
        var paymentId = (string)payment["paymentId"]!;

        await PaymentsClient.AssertProblemAsync(await other.Client.GetAsync(new Uri($"/api/payments/{paymentId}", UriKind.Relative)), HttpStatusCode.Forbidden);
        await PaymentsClient.AssertProblemAsync(
            await other.Client.GetAsync(new Uri($"/api/payments/{paymentId}/notification", UriKind.Relative)), HttpStatusCode.Forbidden);
        await PaymentsClient.AssertProblemAsync(
            await other.Client.PostAsync(new Uri($"/api/payments/{paymentId}/notification/ack", UriKind.Relative), null), HttpStatusCode.Forbidden);
        Assert.Equal(paymentId, (string?)(await Client.GetAsync($"/api/payments/{paymentId}", owner.Client))["paymentId"]);
    }
}
