using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Payments.Activities.Refunds;
using Payments.Api.Bank;
using Payments.Api.Problems;

namespace Payments.Api.BankSimulator;

public sealed record SimulatedRefund(string RefundId, string PaymentId, string? BankTxnId, long Amount, string Currency, DateTimeOffset AcceptedAt);

/// <summary>
/// The embedded bank: accepts the platform's signed refund requests at <c>POST /simulator/bank/refunds</c>, once per
/// <c>refundId</c> (the same request again answers the same refund; other fields under that id are 409), and lists
/// them at <c>GET /simulator/bank/refunds</c>. Kept in memory: it stands in for the bank in Development and docker-compose.
/// </summary>
internal sealed class BankSimulatorRefunds(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, SimulatedRefund> _refunds = new();

    public (SimulatedRefund Refund, bool Same) Accept(RefundRequest request)
    {
        var refund = _refunds.GetOrAdd(
            request.RefundId,
            _ => new SimulatedRefund(request.RefundId, request.PaymentId, request.BankTxnId, request.Amount, request.Currency, clock.GetUtcNow()));
        var same = refund.PaymentId == request.PaymentId && refund.BankTxnId == request.BankTxnId
            && refund.Amount == request.Amount && refund.Currency == request.Currency;
        return (refund, same);
    }

    public IReadOnlyList<SimulatedRefund> All => [.. _refunds.Values.OrderBy(refund => refund.AcceptedAt)];
}

/// <summary>The simulator's endpoints, served only where <c>Payments:BankSimulator:Enabled</c> (by default in Development alone).</summary>
internal static class BankSimulatorEndpoints
{
    public const string EnabledKey = "Payments:BankSimulator:Enabled";
    public const string RefundsPath = "/simulator/bank/refunds";

    public static IEndpointRouteBuilder MapBankSimulatorEndpoints(this IEndpointRouteBuilder app)
    {
        var simulator = app.MapGroup(RefundsPath).AllowAnonymous().WithTags("Bank simulator");
        simulator.MapPost("/", AcceptRefundAsync);
        simulator.MapGet("/", (BankSimulatorRefunds refunds) => TypedResults.Ok(refunds.All));
        return app;
    }

    private static async Task<IResult> AcceptRefundAsync(
        HttpRequest request, BankSignature signature, IOptions<JsonOptions> json, BankSimulatorRefunds refunds, CancellationToken cancellationToken)
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
        var (accepted, same) = refunds.Accept(refund!);
        return same ? TypedResults.Ok(accepted) : ApiProblems.Conflict($"Refund {refund!.RefundId} was already requested with other fields.");
    }
}
