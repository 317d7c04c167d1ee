using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Activities.Notifications;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Api.Temporal;
using Payments.Domain;

namespace Payments.Api.Notifications;

public sealed record NotificationCommandAccepted(string PaymentId, string Command);

/// <summary>The merchant notification of a payment: its log (operator or owner), an extra attempt (operator), the owner's acknowledgement.</summary>
internal static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        var notification = app.MapGroup("/api/payments/{paymentId}/notification").WithTags("Notifications");
        notification.MapGet("", GetAsync).RequireAuthorization(ApiPolicies.OperatorOrMerchant).ProducesProblem(StatusCodes.Status404NotFound);
        notification.MapPost("/retry", RetryAsync).RequireAuthorization(ApiPolicies.Operator)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        notification.MapPost("/ack", AcknowledgeAsync).RequireAuthorization(ApiPolicies.Merchant)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<NotificationStatusView>, ProblemHttpResult>> GetAsync(
        string paymentId, ClaimsPrincipal user, PaymentQueries queries, CancellationToken cancellationToken)
    {
        if (await CheckOwnerAsync(paymentId, user, queries, cancellationToken) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok(await queries.GetNotificationAsync(paymentId, cancellationToken));
    }

    /// <summary>One extra attempt now while PENDING; a new round of the schedule after GAVE_UP; 409 once delivered or acknowledged.</summary>
    private static async Task<Results<Accepted<NotificationCommandAccepted>, ProblemHttpResult>> RetryAsync(
        string paymentId, PaymentQueries queries, PaymentWorkflows workflows, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(paymentId, cancellationToken) is not { } payment)
        {
            return ApiProblems.NotFound($"Payment {paymentId} does not exist.");
        }
        var notification = await queries.GetNotificationAsync(paymentId, cancellationToken);
        switch (notification.Status)
        {
            case NotificationState.Pending:
                if (!await workflows.SignalRetryNowAsync(paymentId))
                {
                    return await EndedMeanwhileAsync(paymentId, queries, cancellationToken);
                }
                break;
            case NotificationState.GaveUp:
                await workflows.StartNewNotificationRoundAsync(payment, notification);
                break;
            default:
                return ApiProblems.Conflict($"The notification of payment {paymentId} is {WireName.Of(notification.Status)}: there is nothing to retry.");
        }
        return TypedResults.Accepted($"/api/payments/{paymentId}/notification", new NotificationCommandAccepted(paymentId, "retryNow"));
    }

    private static async Task<Results<Accepted<NotificationCommandAccepted>, ProblemHttpResult>> AcknowledgeAsync(
        string paymentId, ClaimsPrincipal user, PaymentQueries queries, PaymentWorkflows workflows, CancellationToken cancellationToken)
    {
        if (await CheckOwnerAsync(paymentId, user, queries, cancellationToken) is { } refused)
        {
            return refused;
        }
        var status = (await queries.GetNotificationAsync(paymentId, cancellationToken)).Status;
        if (status != NotificationState.Pending)
        {
            return ApiProblems.Conflict($"The notification of payment {paymentId} is {WireName.Of(status)}, not PENDING.");
        }
        if (!await workflows.SignalAcknowledgeAsync(paymentId))
        {
            return await EndedMeanwhileAsync(paymentId, queries, cancellationToken);
        }
        return TypedResults.Accepted($"/api/payments/{paymentId}/notification", new NotificationCommandAccepted(paymentId, "acknowledge"));
    }

    /// <summary>The notification read PENDING, but its workflow ended before the signal (delivered, say): 409 with the state it ended in.</summary>
    private static async Task<ProblemHttpResult> EndedMeanwhileAsync(string paymentId, PaymentQueries queries, CancellationToken cancellationToken)
    {
        var status = (await queries.GetNotificationAsync(paymentId, cancellationToken)).Status;
        return ApiProblems.Conflict($"The notification of payment {paymentId} is {WireName.Of(status)}: it ended meanwhile.");
    }

    private static async Task<ProblemHttpResult?> CheckOwnerAsync(string paymentId, ClaimsPrincipal user, PaymentQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(paymentId, cancellationToken) switch
        {
            null => ApiProblems.NotFound($"Payment {paymentId} does not exist."),
            var payment when !user.MayRead(payment.MerchantId) => ApiProblems.Forbidden($"Payment {paymentId} belongs to another merchant."),
            _ => null,
        };
}
