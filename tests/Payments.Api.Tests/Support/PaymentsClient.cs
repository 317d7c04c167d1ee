using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Payments.Api.Tests.Support;

/// <summary>The API as its clients see it: the operator, merchants and the bank, over real HTTP.</summary>
public sealed class PaymentsClient(Uri baseAddress) : IDisposable
{
    public const string OperatorToken = "dev-operator-token";
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public HttpClient Operator { get; } = Authorized(baseAddress, OperatorToken);

    public HttpClient Anonymous { get; } = new() { BaseAddress = baseAddress };

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];

    public HttpClient AsMerchant(string apiKey) => Authorized(baseAddress, apiKey);

    /// <summary>A merchant (with its API client) and a user, ready to pay.</summary>
    public async Task<Shop> NewShopAsync(string currency = "CNY", int feeBps = 60)
    {
        var merchant = await AssertCreatedAsync(await Operator.PostAsJsonAsync(
            "/api/merchants", new { merchantId = Unique("m"), name = "Book shop", currency, feeBps }));
        var user = await AssertCreatedAsync(await Operator.PostAsJsonAsync("/api/users", new { userId = Unique("u"), name = "Shopper" }));
        return new Shop(
            (string)merchant["merchantId"]!, (string)merchant["apiKey"]!, (string)merchant["notifySecret"]!, (string)user["userId"]!, AsMerchant((string)merchant["apiKey"]!));
    }

    public static async Task<JsonObject> CreatePaymentAsync(Shop shop, long amount, string notifyUrl, string? merchantOrderNo = null) =>
        await AssertCreatedAsync(await shop.Client.PostAsJsonAsync("/api/payments", new
        {
            merchantOrderNo = merchantOrderNo ?? Unique("o"),
            userId = shop.UserId,
            amount,
            currency = "CNY",
            notifyUrl,
            subject = "2 books",
        }));

    public Task<HttpResponseMessage> SendCallbackAsync(string paymentId, string bankTxnId, long amount, string currency = "CNY", string result = "SUCCESS") =>
        SendCallbackAsync(Callback(paymentId, bankTxnId, amount, currency, result));

    public Task<HttpResponseMessage> SendCallbackAsync(string body, DateTimeOffset? at = null, string secret = BankSigner.DevelopmentSecret) =>
        Anonymous.SendAsync(BankSigner.SignedPost("/api/bank/callbacks", body, at, secret));

    public static string Callback(string paymentId, string bankTxnId, long amount, string currency = "CNY", string result = "SUCCESS") =>
        new JsonObject
        {
            ["paymentId"] = paymentId,
            ["bankTxnId"] = bankTxnId,
            ["amount"] = amount,
            ["currency"] = currency,
            ["result"] = result,
            ["paidAt"] = "2026-11-23T12:00:00Z",
        }.ToJsonString();

    public async Task<JsonObject> GetAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? Operator).GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public async Task<JsonNode> GetNodeAsync(string path)
    {
        using var response = await Operator.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>Reads the payment until it satisfies <paramref name="done"/> (the workflow runs asynchronously); the last read otherwise.</summary>
    public async Task<JsonObject> WaitForPaymentAsync(string paymentId, Func<JsonObject, bool> done) =>
        await WaitForAsync($"/api/payments/{paymentId}", done);

    public async Task<JsonObject> WaitForAsync(string path, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var current = await GetAsync(path);
            if (done(current) || DateTime.UtcNow > deadline)
            {
                return current;
            }
            await Task.Delay(200);
        }
    }

    public static async Task<JsonObject> AssertCreatedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
    }

    /// <summary>Asserts an error answer: its status, problem+json, and a status, title, type and detail in the body; returns the body.</summary>
    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.Equal((int)status, (int)problem["status"]!);
            Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
            Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
            Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
            return problem;
        }
    }

    public void Dispose()
    {
        Operator.Dispose();
        Anonymous.Dispose();
    }

    private static HttpClient Authorized(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public sealed record Shop(string MerchantId, string ApiKey, string NotifySecret, string UserId, HttpClient Client);
