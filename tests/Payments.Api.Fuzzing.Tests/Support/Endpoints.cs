using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>Who sends a request: the operator, the owner merchant of the seeded payment, another merchant, the bank, or nobody.</summary>
public enum Caller
{
    Operator,
    Owner,
    Other,
    Bank,
    Anonymous,
}

/// <summary>What a field holds, which decides the wrong values the fuzzer tries in it.</summary>
public enum FieldKind
{
    ClientId,
    Name,
    Subject,
    Reason,
    NotifyUrl,
    Amount,
    Currency,
    FeeBps,
    BankResult,
    ResolutionAction,
    Timestamp,
}

public sealed record Field(string Name, FieldKind Kind, bool Required);

/// <summary>One endpoint of the contract: its method, its path and caller, and for a JSON body a valid body and its fields.</summary>
public sealed record Endpoint(
    string Name, HttpMethod Method, Func<FuzzedPlatform, string> Path, Caller Caller, Func<FuzzedPlatform, JsonObject>? ValidBody = null, IReadOnlyList<Field>? Fields = null)
{
    public override string ToString() => Name;

    /// <summary>The request as <see cref="Caller"/> sends it; the bank signs the exact bytes.</summary>
    public HttpRequestMessage Request(FuzzedPlatform platform, string? body = null, Caller? caller = null) =>
        Build(Method, Path(platform), body, caller ?? Caller, platform);

    public static HttpRequestMessage Build(HttpMethod method, string path, string? body, Caller caller, FuzzedPlatform platform)
    {
        if (caller == Caller.Bank)
        {
            return BankSigner.SignedPost(path, body ?? string.Empty);
        }
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (Token(caller, platform) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }

    private static string? Token(Caller caller, FuzzedPlatform platform) => caller switch
    {
        Caller.Operator => PaymentsClient.OperatorToken,
        Caller.Owner => platform.Owner.Shop.ApiKey,
        Caller.Other => platform.Other.Shop.ApiKey,
        _ => null,
    };
}

/// <summary>Every endpoint of /work/shared/api-contract.md, aimed at the seeded payment of <see cref="FuzzedPlatform.Owner"/>.</summary>
public static class Endpoints
{
    public static readonly Endpoint CreateMerchant = new(
        "POST /api/merchants", HttpMethod.Post, _ => "/api/merchants", Caller.Operator,
        _ => new JsonObject { ["merchantId"] = PaymentsClient.Unique("m"), ["name"] = "Book shop", ["currency"] = "CNY", ["feeBps"] = 60 },
        [new("merchantId", FieldKind.ClientId, true), new("name", FieldKind.Name, true), new("currency", FieldKind.Currency, true), new("feeBps", FieldKind.FeeBps, false)]);

    public static readonly Endpoint CreateUser = new(
        "POST /api/users", HttpMethod.Post, _ => "/api/users", Caller.Operator,
        _ => new JsonObject { ["userId"] = PaymentsClient.Unique("u"), ["name"] = "Li Lei" },
        [new("userId", FieldKind.ClientId, true), new("name", FieldKind.Name, true)]);

    public static readonly Endpoint CreatePayment = new(
        "POST /api/payments", HttpMethod.Post, _ => "/api/payments", Caller.Owner,
        platform => new JsonObject
        {
            ["merchantOrderNo"] = PaymentsClient.Unique("o"),
            ["userId"] = platform.Owner.Shop.UserId,
            ["amount"] = 10000,
            ["currency"] = "CNY",
            ["notifyUrl"] = FuzzedPlatform.DeadNotifyUrl,
            ["subject"] = "2 books",
        },
        [
            new("merchantOrderNo", FieldKind.ClientId, true), new("userId", FieldKind.ClientId, true), new("amount", FieldKind.Amount, true),
            new("currency", FieldKind.Currency, true), new("notifyUrl", FieldKind.NotifyUrl, true), new("subject", FieldKind.Subject, false),
        ]);

    public static readonly Endpoint BankCallback = new(
        "POST /api/bank/callbacks", HttpMethod.Post, _ => "/api/bank/callbacks", Caller.Bank,
        platform => new JsonObject
        {
            ["paymentId"] = platform.Owner.PaymentId,
            ["bankTxnId"] = PaymentsClient.Unique("B"),
            ["amount"] = 10000,
            ["currency"] = "CNY",
            ["result"] = "SUCCESS",
            ["paidAt"] = "2026-11-23T12:00:00Z",
        },
        [
            new("paymentId", FieldKind.ClientId, true), new("bankTxnId", FieldKind.ClientId, true), new("amount", FieldKind.Amount, true),
            new("currency", FieldKind.Currency, true), new("result", FieldKind.BankResult, true), new("paidAt", FieldKind.Timestamp, false),
        ]);

    public static readonly Endpoint Resolve = new(
        "POST /api/payments/{id}/resolution", HttpMethod.Post, platform => $"/api/payments/{platform.Owner.PaymentId}/resolution", Caller.Operator,
        _ => new JsonObject { ["action"] = "REFUND", ["reason"] = "fuzzing" },
        [new("action", FieldKind.ResolutionAction, true), new("reason", FieldKind.Reason, true)]);

    /// <summary>The endpoints that read a JSON body.</summary>
    public static readonly IReadOnlyList<Endpoint> WithJsonBody = [CreateMerchant, CreateUser, CreatePayment, BankCallback, Resolve];

    /// <summary>Every endpoint that needs a bearer credential, with the caller it is meant for.</summary>
    public static readonly IReadOnlyList<Endpoint> Protected =
    [
        CreateMerchant,
        CreateUser,
        CreatePayment,
        Resolve,
        new("POST /api/merchants/{id}/freeze", HttpMethod.Post, p => $"/api/merchants/{p.Owner.Shop.MerchantId}/freeze", Caller.Operator),
        new("POST /api/merchants/{id}/unfreeze", HttpMethod.Post, p => $"/api/merchants/{p.Owner.Shop.MerchantId}/unfreeze", Caller.Operator),
        new("GET /api/merchants/{id}/account", HttpMethod.Get, p => $"/api/merchants/{p.Owner.Shop.MerchantId}/account", Caller.Operator),
        new("POST /api/users/{id}/freeze", HttpMethod.Post, p => $"/api/users/{p.Owner.Shop.UserId}/freeze", Caller.Operator),
        new("POST /api/users/{id}/unfreeze", HttpMethod.Post, p => $"/api/users/{p.Owner.Shop.UserId}/unfreeze", Caller.Operator),
        new("GET /api/users/{id}/points", HttpMethod.Get, p => $"/api/users/{p.Owner.Shop.UserId}/points", Caller.Operator),
        new("GET /api/payments", HttpMethod.Get, _ => "/api/payments", Caller.Operator),
        new("GET /api/payments/{id}", HttpMethod.Get, p => $"/api/payments/{p.Owner.PaymentId}", Caller.Owner),
        new("GET /api/merchant/orders/{no}", HttpMethod.Get, p => $"/api/merchant/orders/{p.Owner.MerchantOrderNo}", Caller.Owner),
        new("GET /api/payments/{id}/notification", HttpMethod.Get, p => $"/api/payments/{p.Owner.PaymentId}/notification", Caller.Owner),
        new("POST /api/payments/{id}/notification/retry", HttpMethod.Post, p => $"/api/payments/{p.Owner.PaymentId}/notification/retry", Caller.Operator),
        new("POST /api/payments/{id}/notification/ack", HttpMethod.Post, p => $"/api/payments/{p.Owner.PaymentId}/notification/ack", Caller.Owner),
        new("GET /api/accounting/vouchers", HttpMethod.Get, p => $"/api/accounting/vouchers?paymentId={p.Owner.PaymentId}", Caller.Operator),
        new("GET /api/bank/exceptions", HttpMethod.Get, _ => "/api/bank/exceptions", Caller.Operator),
    ];

    /// <summary>Every path with an identifier in it, as a template over that identifier, with a caller allowed there.</summary>
    public static readonly IReadOnlyList<PathEndpoint> WithPathId =
    [
        new("/api/merchants/{0}/freeze", HttpMethod.Post, Caller.Operator),
        new("/api/merchants/{0}/unfreeze", HttpMethod.Post, Caller.Operator),
        new("/api/merchants/{0}/account", HttpMethod.Get, Caller.Operator),
        new("/api/users/{0}/freeze", HttpMethod.Post, Caller.Operator),
        new("/api/users/{0}/unfreeze", HttpMethod.Post, Caller.Operator),
        new("/api/users/{0}/points", HttpMethod.Get, Caller.Operator),
        new("/api/payments/{0}", HttpMethod.Get, Caller.Operator),
        new("/api/merchant/orders/{0}", HttpMethod.Get, Caller.Owner),
        new("/api/payments/{0}/notification", HttpMethod.Get, Caller.Operator),
        new("/api/payments/{0}/notification/retry", HttpMethod.Post, Caller.Operator),
        new("/api/payments/{0}/notification/ack", HttpMethod.Post, Caller.Owner),
        new("/api/payments/{0}/resolution", HttpMethod.Post, Caller.Operator, """{"action":"RETRY","reason":"fuzzing"}"""),
        new("/api/accounting/vouchers?paymentId={0}", HttpMethod.Get, Caller.Operator),
        new("/api/payments?merchantId={0}", HttpMethod.Get, Caller.Operator),
    ];
}

/// <summary>A path (or query) template over one identifier, the caller allowed there, and the body it needs.</summary>
public sealed record PathEndpoint(string Template, HttpMethod Method, Caller Caller, string? Body = null);
