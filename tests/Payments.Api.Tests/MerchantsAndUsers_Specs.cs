using System.Net;
using System.Net.Http.Json;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>The operator creates, freezes and unfreezes merchants and users, and reads their accounts.</summary>
[Collection(SharedApi.Name)]
public sealed class MerchantsAndUsers_Specs(ApiFixture api)
{
    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task CreateMerchant_New_Answers201WithSecretsOnce()
    {
        var merchantId = PaymentsClient.Unique("m");

        var created = await PaymentsClient.AssertCreatedAsync(await Client.Operator.PostAsJsonAsync(
            "/api/merchants", new { merchantId, name = "Tea house", currency = "USD" }));

        Assert.Equal(merchantId, (string?)created["merchantId"]);
        Assert.Equal("Tea house", (string?)created["name"]);
        Assert.Equal("USD", (string?)created["currency"]);
        Assert.Equal(60, (int)created["feeBps"]!);
        Assert.Equal("ACTIVE", (string?)created["status"]);
        Assert.False(string.IsNullOrEmpty((string?)created["apiKey"]));
        Assert.False(string.IsNullOrEmpty((string?)created["notifySecret"]));
        var account = await Client.GetAsync($"/api/merchants/{merchantId}/account");
        Assert.Equal(merchantId, (string?)account["merchantId"]);
        Assert.Equal("USD", (string?)account["currency"]);
        Assert.Equal(0, (long)account["balance"]!);
        Assert.Equal(0, (long)account["pendingCredit"]!);
    }

    [Fact]
    public async Task CreateMerchant_ExistingId_Answers409AndKeepsTheFirst()
    {
        var merchantId = PaymentsClient.Unique("m");
        await PaymentsClient.AssertCreatedAsync(await Client.Operator.PostAsJsonAsync("/api/merchants", new { merchantId, name = "First", currency = "CNY", feeBps = 100 }));

        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/merchants", new { merchantId, name = "Second", currency = "EUR", feeBps = 0 }), HttpStatusCode.Conflict);

        var account = await Client.GetAsync($"/api/merchants/{merchantId}/account");
        Assert.Equal("CNY", (string?)account["currency"]);
    }

    [Fact]
    public async Task CreateMerchant_EveryFieldInvalid_Answers400NamingEachField()
    {
        var problem = await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/merchants", new { merchantId = "bad id!", name = "", currency = "JPY", feeBps = 10001 }),
            HttpStatusCode.BadRequest);

        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["currency", "feeBps", "merchantId", "name"], errors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task FreezeAndUnfreezeMerchant_Known_AnswersMerchantWithoutSecrets()
    {
        var shop = await Client.NewShopAsync();

        using var frozen = await Client.Operator.PostAsync(new Uri($"/api/merchants/{shop.MerchantId}/freeze", UriKind.Relative), null);
        var frozenBody = (await frozen.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        using var active = await Client.Operator.PostAsync(new Uri($"/api/merchants/{shop.MerchantId}/unfreeze", UriKind.Relative), null);
        var activeBody = (await active.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, frozen.StatusCode);
        Assert.Equal("FROZEN", (string?)frozenBody["status"]);
        Assert.False(frozenBody.ContainsKey("apiKey"));
        Assert.False(frozenBody.ContainsKey("notifySecret"));
        Assert.Equal("ACTIVE", (string?)activeBody["status"]);
    }

    [Fact]
    public async Task FreezeMerchant_Unknown_Answers404()
    {
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsync(new Uri($"/api/merchants/{PaymentsClient.Unique("m")}/freeze", UriKind.Relative), null), HttpStatusCode.NotFound);
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.GetAsync(new Uri($"/api/merchants/{PaymentsClient.Unique("m")}/account", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateUser_New_Answers201WithAnEmptyPointsAccount()
    {
        var userId = PaymentsClient.Unique("u");

        var user = await PaymentsClient.AssertCreatedAsync(await Client.Operator.PostAsJsonAsync("/api/users", new { userId, name = "Li" }));

        Assert.Equal(userId, (string?)user["userId"]);
        Assert.Equal("Li", (string?)user["name"]);
        Assert.Equal("ACTIVE", (string?)user["status"]);
        var points = await Client.GetAsync($"/api/users/{userId}/points");
        Assert.Equal(0, (long)points["points"]!);
        Assert.Equal(0, (long)points["pendingPoints"]!);
    }

    [Fact]
    public async Task CreateUser_ExistingIdOrInvalidFields_Answers409Or400()
    {
        var userId = PaymentsClient.Unique("u");
        await PaymentsClient.AssertCreatedAsync(await Client.Operator.PostAsJsonAsync("/api/users", new { userId, name = "Li" }));

        await PaymentsClient.AssertProblemAsync(await Client.Operator.PostAsJsonAsync("/api/users", new { userId, name = "Wang" }), HttpStatusCode.Conflict);
        var problem = await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/users", new { userId = new string('x', 65) }), HttpStatusCode.BadRequest);

        Assert.Equal(["name", "userId"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task FreezeAndUnfreezeUser_Known_AnswersUser()
    {
        var shop = await Client.NewShopAsync();

        using var frozen = await Client.Operator.PostAsync(new Uri($"/api/users/{shop.UserId}/freeze", UriKind.Relative), null);
        using var active = await Client.Operator.PostAsync(new Uri($"/api/users/{shop.UserId}/unfreeze", UriKind.Relative), null);

        Assert.Equal("FROZEN", (string?)(await frozen.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["status"]);
        Assert.Equal("ACTIVE", (string?)(await active.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["status"]);
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsync(new Uri($"/api/users/{PaymentsClient.Unique("u")}/freeze", UriKind.Relative), null), HttpStatusCode.NotFound);
    }
}
