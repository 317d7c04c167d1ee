using Payments.Activities.Orders;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Temporal;
using Payments.Domain;
using Decision = Payments.Workflows.Resolution;

namespace Payments.Api.Resolution;

public sealed record ResolutionRequest(ResolutionAction? Action, string? Reason);

public sealed record ResolutionAccepted(string PaymentId, ResolutionAction Action, PaymentStatus Status);

/// <summary>
/// An operator's decision on a SUSPENDED payment: the order leaves SUSPENDED by compare-and-set (so a second decision
/// gets 409), then the completion workflow gets the <c>resolve</c> signal.
/// </summary>
internal static class ResolutionEndpoints
{
    private const int MaxReasonLength = 1024;

    public static IEndpointRouteBuilder MapResolutionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/payments/{paymentId}/resolution", ResolveAsync).RequireAuthorization(ApiPolicies.Operator).WithTags("Resolution");
        return app;
    }

    private static async Task<IResult> ResolveAsync(
        string paymentId, ResolutionRequest request, PaymentOrderStore orders, PaymentWorkflows workflows, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (new FieldErrors().Present("action", request.Action).Text("reason", request.Reason, MaxReasonLength).ToProblem() is { } problem)
        {
            return problem;
        }
        var action = request.Action!.Value;
        switch (await orders.ResolveAsync(paymentId, action, cancellationToken))
        {
            case ResolutionOutcome.NotFound:
                return ApiProblems.NotFound($"Payment {paymentId} does not exist.");
            case ResolutionOutcome.NotSuspended:
                return ApiProblems.Conflict($"Payment {paymentId} is not SUSPENDED (already resolved, or never suspended).");
        }
        await workflows.SignalResolveAsync(paymentId, new Decision(action, request.Reason));
        loggers.CreateLogger(typeof(ResolutionEndpoints)).LogInformation(
            "Payment {PaymentId}: operator decided {Action} ({Reason})", paymentId, action, request.Reason);
        var status = action == ResolutionAction.Retry ? PaymentStatus.Processing : PaymentStatus.Refunded;
        return TypedResults.Accepted($"/api/payments/{paymentId}", new ResolutionAccepted(paymentId, action, status));
    }
}
