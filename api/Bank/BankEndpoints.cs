using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Payments.Activities.Orders;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Api.Temporal;
using Payments.Domain;

namespace Payments.Api.Bank;

public sealed record BankCallbackRequest(string? PaymentId, string? BankTxnId, long? Amount, string? Currency, BankResult? Result, DateTimeOffset? PaidAt);

public sealed record BankCallbackAnswer(string Result)
{
    public static readonly BankCallbackAnswer Success = new("success");
}

/// <summary>
/// The bank's callbacks: signature first (401), then the bank's facts recorded on the order by compare-and-set (the API
/// moves no status), then the <c>bankResult</c> signal to the payment's workflow; 200 only once the workflow has it, so
/// after that answer nothing is lost whatever crashes next. A SUCCESS for a CLOSED order starts its LateDebitRefund first.
/// </summary>
internal static class BankEndpoints
{
    public static IEndpointRouteBuilder MapBankEndpoints(this IEndpointRouteBuilder app)
    {
        var bank = app.MapGroup("/api/bank").WithTags("Bank");
        bank.MapPost("/callbacks", ReceiveCallbackAsync).AllowAnonymous().WithMetadata(SignedByBank.Instance)
            .Accepts<BankCallbackRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        bank.MapGet("/exceptions", ListExceptionsAsync).RequireAuthorization(ApiPolicies.Operator);
        return app;
    }

    private static async Task<Results<Ok<BankCallbackAnswer>, ValidationProblem, ProblemHttpResult>> ReceiveCallbackAsync(
        HttpRequest request,
        BankSignature signature,
        IOptions<JsonOptions> json,
        Currencies currencies,
        PaymentOrderStore orders,
        PaymentWorkflows workflows,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var body = await BankSignature.ReadBodyAsync(request, cancellationToken);
        if (signature.Check(request.Headers, body) is { } refusal)
        {
            loggers.CreateLogger(typeof(BankEndpoints)).LogWarning("Bank callback refused: {Reason}", refusal);
            return TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized);
        }
        BankCallbackRequest? callback;
        try
        {
            callback = JsonSerializer.Deserialize<BankCallbackRequest>(body, json.Value.SerializerOptions);
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("The body is not valid JSON for a bank callback.", e);
        }
        if (Validate(callback, currencies) is { } problem)
        {
            return problem;
        }
        var recorded = new BankCallback(callback!.PaymentId!, callback.BankTxnId!, callback.Amount!.Value, callback.Currency!, callback.Result!.Value, callback.PaidAt);
        var result = await orders.RecordBankResultAsync(recorded, cancellationToken);
        switch (result.Outcome)
        {
            case BankCallbackOutcome.NotFound:
                return ApiProblems.NotFound($"Payment {recorded.PaymentId} does not exist.");
            case BankCallbackOutcome.Conflict:
                return ApiProblems.Conflict(
                    $"Payment {recorded.PaymentId} already has bank result {result.Recorded?.Result} {result.Recorded?.BankTxnId}; this callback differs."
                    + (result.BankExceptionId is { } kept ? $" It is kept as bank exception {kept}." : ""));
            case BankCallbackOutcome.Mismatch:
                return ApiProblems.Unprocessable(
                    $"The amount or currency differ from payment {recorded.PaymentId}; the callback is kept as bank exception {result.BankExceptionId}.",
                    new Dictionary<string, object?> { ["bankExceptionId"] = result.BankExceptionId });
            case BankCallbackOutcome.LateDebit:
                await workflows.StartLateDebitRefundAsync(recorded, cancellationToken);
                return TypedResults.Ok(BankCallbackAnswer.Success);
            case BankCallbackOutcome.ClosedUnpaid:
                return TypedResults.Ok(BankCallbackAnswer.Success);
        }
        await workflows.SignalBankResultAsync(recorded, cancellationToken);
        return TypedResults.Ok(BankCallbackAnswer.Success);
    }

    private static ValidationProblem? Validate(BankCallbackRequest? callback, Currencies currencies) =>
        callback is null
            ? new FieldErrors().Add("body", "A bank callback object is required.").ToProblem()
            : new FieldErrors()
                .ClientId("paymentId", callback.PaymentId)
                .ClientId("bankTxnId", callback.BankTxnId)
                .Amount("amount", callback.Amount)
                .Currency("currency", callback.Currency, currencies)
                .Present("result", callback.Result)
                .ToProblem();

    private static async Task<Ok<IReadOnlyList<BankExceptionRecord>>> ListExceptionsAsync(PaymentQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListBankExceptionsAsync(cancellationToken));
}
