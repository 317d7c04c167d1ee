using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Api.Temporal;
using Payments.Domain;
using Payments.Workflows;

namespace Payments.Api.Resolutions;

public sealed record ResolutionRequest(ResolutionAction? Action, string? Reason);

public sealed record ResolutionAccepted(string PaymentId, ResolutionAction Action, PaymentStatus Status);

/// <summary>
/// An operator's decision on a SUSPENDED payment, sent to its workflow as the <c>resolve</c> update: the workflow validates
/// it (exactly one of concurrent decisions passes), records it and moves the payment to PROCESSING before the 202.
/// </summary>
internal static class ResolutionEndpoints
{
    private const int MaxReasonLength = 1024;

    public static IEndpointRouteBuilder MapResolutionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/payments/{paymentId}/resolution", ResolveAsync).RequireAuthorization(ApiPolicies.Operator).WithTags("Resolution")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<Results<Accepted<ResolutionAccepted>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        string paymentId, ResolutionRequest request, PaymentQueries queries, PaymentWorkflows workflows, HttpResponse response, CancellationToken cancellationToken)
    {
        if (new FieldErrors().Present("action", request.Action).Text("reason", request.Reason, MaxReasonLength).ToProblem() is { } problem)
        {
            return problem;
        }
        if (await queries.GetAsync(paymentId, cancellationToken) is not { } payment)
        {
            return ApiProblems.NotFound($"Payment {paymentId} does not exist.");
        }
        if (payment.Status != PaymentStatus.Suspended)
        {
            return ApiProblems.Conflict($"Payment {paymentId} is {WireName.Of(payment.Status)}, not SUSPENDED: there is nothing to decide.");
        }
        var decision = new Resolution(request.Action!.Value, request.Reason);
        // The decision round: one more than the decisions recorded, so a retried request joins the same update.
        var answer = await workflows.DecideAsync(paymentId, payment.Resolutions.Count + 1, decision, cancellationToken);
        switch (answer.Outcome)
        {
            case DecisionOutcome.Accepted when answer.Accepted == decision:
                return TypedResults.Accepted($"/api/payments/{paymentId}", new ResolutionAccepted(paymentId, decision.Action, PaymentStatus.Processing));
            case DecisionOutcome.Accepted:
                return ApiProblems.Conflict($"Another decision was accepted for payment {paymentId}: {WireName.Of(answer.Accepted!.Action)} ({answer.Accepted.Reason}).");
            case DecisionOutcome.Rejected:
                return ApiProblems.Conflict(answer.Detail!);
            case DecisionOutcome.NotFound:
                return ApiProblems.Conflict($"Payment {paymentId} has no running workflow to decide: {answer.Detail}");
            default:
                response.Headers.RetryAfter = ((int)PaymentWorkflows.DecisionDeadline.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return ApiProblems.Unavailable(
                    $"The workflow of payment {paymentId} did not take the decision within {PaymentWorkflows.DecisionDeadline.TotalSeconds} s (no worker running?). It may still take effect: read the payment before deciding again.");
        }
    }
}
