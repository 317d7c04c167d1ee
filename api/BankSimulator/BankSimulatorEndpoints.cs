using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Payments.Activities;
using Payments.Activities.Bank;
using Payments.Activities.Refunds;
using Payments.Api.Bank;
using Payments.Api.Problems;
using Payments.Domain;

namespace Payments.Api.BankSimulator;

public sealed record SimulatedRefund(string RefundId, string PaymentId, string? BankTxnId, long Amount, string Currency, DateTimeOffset AcceptedAt);

public sealed record DebitRequest(string? PaymentId, long? Amount, string? Currency, bool? DeliverCallback);

public sealed record DebitAnswer(string BankTxnId, DateTimeOffset PaidAt);

/// <summary>A refusal the simulated bank will give to the next refund of a payment (its answer's status and reason).</summary>
public sealed record RefundRefusal(string? PaymentId, int? Status, string? Reason);

/// <summary>
/// The simulated bank's books, in memory: its debits (the record the status query answers: the first debit of a
/// payment), the refunds it accepted once per <c>refundId</c>, and refusals it was told to give.
/// </summary>
internal sealed class BankSimulatorBooks(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, SimulatedRefund> _refunds = new();
    private readonly ConcurrentDictionary<string, BankTransaction> _debits = new();
    private readonly ConcurrentDictionary<string, RefundRefusal> _refusals = new();

    public BankTransaction Debit(string paymentId, long amount, string currency)
    {
        var debit = new BankTransaction(
            paymentId, BankTransactionStatus.Debited, $"SIM-{Guid.NewGuid():N}"[..24], amount, currency, Timestamps.ToMicroseconds(clock.GetUtcNow()));
        // The status query answers the payment's first debit; a further one is another transaction (a late debit, say).
        _debits.TryAdd(paymentId, debit);
        return debit;
    }

    public BankTransaction? Transaction(string paymentId) => _debits.GetValueOrDefault(paymentId);

    public void RefuseNextRefund(RefundRefusal refusal) => _refusals[refusal.PaymentId!] = refusal;

    public RefundRefusal? TakeRefusal(string paymentId) => _refusals.TryRemove(paymentId, out var refusal) ? refusal : null;

    public (SimulatedRefund Refund, bool Same) Accept(RefundRequest request)
    {
        var refund = _refunds.GetOrAdd(
            request.RefundId,
            _ => new SimulatedRefund(request.RefundId, request.PaymentId, request.BankTxnId, request.Amount, request.Currency, clock.GetUtcNow()));
        var same = refund.PaymentId == request.PaymentId && refund.BankTxnId == request.BankTxnId
            && refund.Amount == request.Amount && refund.Currency == request.Currency;
        return (refund, same);
    }

    public IReadOnlyList<SimulatedRefund> Refunds => [.. _refunds.Values.OrderBy(refund => refund.AcceptedAt)];
}

/// <summary>
/// The embedded bank (<c>Payments:BankSimulator:Enabled</c>): debits with or without the callback, the status query,
/// refunds. Requests to it are signed with the bank secret like its callbacks (401 otherwise).
/// </summary>
internal static class BankSimulatorEndpoints
{
    public const string BasePath = "/simulator/bank";
    public const string RefundsPath = BasePath + "/refunds";
    public const string TransactionsPath = BasePath + "/transactions";
    public const string HttpClientName = "bank-simulator-callbacks";

    public static IEndpointRouteBuilder MapBankSimulatorEndpoints(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup(BasePath).AllowAnonymous().WithTags("Bank simulator");
        simulator.MapPost("/debits", DebitAsync);
        simulator.MapGet("/transactions/{paymentId}", GetTransaction).WithMetadata(SignedByBank.Instance).ProducesProblem(StatusCodes.Status404NotFound);
        simulator.MapPost("/refunds", AcceptRefundAsync).WithMetadata(SignedByBank.Instance).Accepts<RefundRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        simulator.MapGet("/refunds", (BankSimulatorBooks books) => TypedResults.Ok(books.Refunds));
        simulator.MapPost("/refunds/refusals", RefuseNextRefund);
        return app;
    }

    /// <summary>Records a debit and, when asked, sends the platform its signed callback (<c>deliverCallback: false</c> is a lost one).</summary>
    private static async Task<Results<Created<DebitAnswer>, ValidationProblem>> DebitAsync(
        DebitRequest request,
        BankSimulatorBooks books,
        BankSimulatorAddress address,
        IHttpClientFactory httpClients,
        IOptions<BankSecretOptions> secret,
        IOptions<JsonOptions> json,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (new FieldErrors().Required("paymentId", request.PaymentId).Amount("amount", request.Amount).Required("currency", request.Currency)
                .Present("deliverCallback", request.DeliverCallback).ToProblem() is { } problem)
        {
            return problem;
        }
        var debit = books.Debit(request.PaymentId!, request.Amount!.Value, request.Currency!);
        if (request.DeliverCallback!.Value)
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(
                new BankCallbackRequest(debit.PaymentId, debit.BankTxnId, debit.Amount, debit.Currency, BankResult.Success, debit.PaidAt), json.Value.SerializerOptions);
            using var callback = new HttpRequestMessage(HttpMethod.Post, address.Of("/api/bank/callbacks")) { Content = new ByteArrayContent(body) };
            callback.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            BankRequests.Sign(callback, secret.Value.BankSecret!, clock.GetUtcNow(), body);
            using var answer = await httpClients.CreateClient(HttpClientName).SendAsync(callback, cancellationToken);
            loggers.CreateLogger(typeof(BankSimulatorEndpoints)).LogInformation(
                "Bank simulator: callback of {BankTxnId} for payment {PaymentId} answered {HttpStatus}", debit.BankTxnId, debit.PaymentId, (int)answer.StatusCode);
        }
        return TypedResults.Created($"{TransactionsPath}/{Uri.EscapeDataString(debit.PaymentId)}", new DebitAnswer(debit.BankTxnId, debit.PaidAt!.Value));
    }

    private static Results<Ok<BankTransaction>, ProblemHttpResult> GetTransaction(string paymentId, HttpContext context, BankSignature signature, BankSimulatorBooks books)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var path = target.Split('?', 2)[0];
        if (signature.Check(context.Request.Headers, System.Text.Encoding.UTF8.GetBytes(path)) is { } refusal)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized);
        }
        return books.Transaction(paymentId) is { } transaction
            ? TypedResults.Ok(transaction)
            : ApiProblems.NotFound($"The bank has no record of payment {paymentId}.");
    }

    private static Results<NoContent, ValidationProblem> RefuseNextRefund(RefundRefusal refusal, BankSimulatorBooks books)
    {
        if (new FieldErrors().Required("paymentId", refusal.PaymentId).ToProblem() is { } problem)
        {
            return problem;
        }
        books.RefuseNextRefund(refusal);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SimulatedRefund>, ValidationProblem, ProblemHttpResult>> AcceptRefundAsync(
        HttpRequest request, BankSignature signature, IOptions<JsonOptions> json, BankSimulatorBooks books, CancellationToken cancellationToken)
    {
        var body = await BankSignature.ReadBodyAsync(request, cancellationToken);
        if (signature.Check(request.Headers, body) is { } refusal)
        {
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized);
        }
        RefundRequest? refund;
        try
        {
            refund = JsonSerializer.Deserialize<RefundRequest>(body, json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The body is not a refund request.", e);
        }
        if (new FieldErrors().Required("refundId", refund?.RefundId).Required("paymentId", refund?.PaymentId).ToProblem() is { } problem)
        {
            return problem;
        }
        if (books.TakeRefusal(refund!.PaymentId) is { } refused)
        {
            return TypedResults.Problem(refused.Reason ?? "The bank refuses this refund.", statusCode: refused.Status ?? StatusCodes.Status422UnprocessableEntity);
        }
        var (accepted, same) = books.Accept(refund);
        return same ? TypedResults.Ok(accepted) : ApiProblems.Conflict($"Refund {refund.RefundId} was already requested with other fields.");
    }
}
