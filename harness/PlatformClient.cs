using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Domain;

namespace Payments.Harness;

/// <summary>The platform as its clients reach it over HTTP with keep-alive: the operator, the merchants and the bank (signed callbacks).</summary>
public sealed class PlatformClient : IDisposable
{
    public const string OperatorToken = "dev-operator-token";
    public const string BankSecret = "dev-bank-secret";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly HttpClient _http;

    public PlatformClient(Uri baseAddress, int connections = 64)
    {
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async Task<(string MerchantId, string ApiKey, string NotifySecret)> CreateMerchantAsync(string merchantId, CancellationToken cancellationToken = default)
    {
        var merchant = await SendJsonAsync(HttpMethod.Post, "/api/merchants", OperatorToken,
            new { merchantId, name = "Load shop", currency = "CNY", feeBps = 60 }, HttpStatusCode.Created, cancellationToken);
        return (merchantId, (string)merchant!["apiKey"]!, (string)merchant["notifySecret"]!);
    }

    public Task CreateUserAsync(string userId, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, "/api/users", OperatorToken, new { userId, name = "Shopper" }, HttpStatusCode.Created, cancellationToken);

    public Task SetFrozenAsync(string kind, string id, bool frozen, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, $"/api/{kind}/{id}/{(frozen ? "freeze" : "unfreeze")}", OperatorToken, null, HttpStatusCode.OK, cancellationToken);

    /// <summary>
    /// Creates a payment: its id. Retried while the platform is unavailable (503, connection refused); a retry of a
    /// creation that did land answers 200 with the same order (idempotent on the merchant's order number).
    /// </summary>
    public async Task<string> CreatePaymentAsync(string apiKey, string merchantOrderNo, string userId, long amount, string notifyUrl, CancellationToken cancellationToken = default)
    {
        using var response = await RetryWhileUnavailableAsync(() => Send(HttpMethod.Post, "/api/payments", apiKey,
            new { merchantOrderNo, userId, amount, currency = "CNY", notifyUrl, subject = "load" }, cancellationToken), null, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"Payment {merchantOrderNo}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return (string)(await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken))!["paymentId"]!;
    }

    /// <summary>The bank's callback, signed; retried as a bank retries until it is answered 200 (a 503 or a dead platform is retried).</summary>
    public async Task SendCallbackAsync(string paymentId, string bankTxnId, long amount, string result = "SUCCESS", CancellationToken cancellationToken = default)
    {
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["paymentId"] = paymentId,
            ["bankTxnId"] = bankTxnId,
            ["amount"] = amount,
            ["currency"] = "CNY",
            ["result"] = result,
        }.ToJsonString());
        await RetryWhileUnavailableAsync(async () =>
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bank/callbacks") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(BankHeaders.Timestamp, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(BankHeaders.Signature, Signatures.Sign(BankSecret, timestamp, body));
            return await _http.SendAsync(request, cancellationToken);
        }, HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>
    /// An operator's decision on a SUSPENDED payment; the answer's status (202 accepted, 409 not waiting for one). A 503 is
    /// retried with the same reason, which joins the same decision.
    /// </summary>
    public async Task<HttpStatusCode> ResolveAsync(string paymentId, string action, string reason, CancellationToken cancellationToken = default)
    {
        using var response = await RetryWhileUnavailableAsync(() => Send(HttpMethod.Post, $"/api/payments/{paymentId}/resolution", OperatorToken,
            new { action, reason }, cancellationToken), null, cancellationToken);
        return response.StatusCode;
    }

    /// <summary>The shopper pays through the bank simulator: its debit (<c>{ bankTxnId, paidAt }</c>), with or without the signed callback.</summary>
    public async Task<JsonNode> DebitAsync(string paymentId, long amount, bool deliverCallback, CancellationToken cancellationToken = default) =>
        (await SendJsonAsync(HttpMethod.Post, "/simulator/bank/debits", OperatorToken,
            new { paymentId, amount, currency = "CNY", deliverCallback }, HttpStatusCode.Created, cancellationToken))!;

    public async Task<JsonNode?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await RetryWhileUnavailableAsync(() => Send(HttpMethod.Get, path, OperatorToken, null, cancellationToken), HttpStatusCode.OK, cancellationToken);
        return await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (deadline.Elapsed > patience)
            {
                throw new TimeoutException($"The platform at {_http.BaseAddress} was not ready within {patience.TotalSeconds:0} s.");
            }
            await Task.Delay(RetryDelay, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonNode?> SendJsonAsync(HttpMethod method, string path, string token, object? body, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var response = await RetryWhileUnavailableAsync(() => Send(method, path, token, body, cancellationToken), expected, cancellationToken);
        return response.Content.Headers.ContentLength == 0 ? null : await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string token, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends until the platform answers something other than 503 (or, with a dead platform, until it listens again);
    /// fails on any answer other than <paramref name="expected"/> when one is given.
    /// </summary>
    private static async Task<HttpResponseMessage> RetryWhileUnavailableAsync(
        Func<Task<HttpResponseMessage>> send, HttpStatusCode? expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            HttpResponseMessage response;
            try
            {
                response = await send();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(RetryDelay, cancellationToken);
                continue;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue; // our own timeout: the platform was killed mid-request
            }
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                response.Dispose();
                await Task.Delay(RetryDelay, cancellationToken);
                continue;
            }
            if (expected is { } status && response.StatusCode != status)
            {
                var answer = await response.Content.ReadAsStringAsync(cancellationToken);
                response.Dispose();
                throw new InvalidOperationException($"Expected {(int)status}, got {(int)response.StatusCode}: {answer}");
            }
            return response;
        }
    }
}
