using Payments.Domain;

namespace Payments.Activities.Notifications;

/// <summary>
/// One attempt to notify the merchant. <paramref name="Number"/> is the attempt's number (1, 2, …; the workflow counts,
/// extra <c>retryNow</c> attempts included) and <paramref name="At"/> its time on the workflow's clock.
/// </summary>
public sealed record NotificationRequest(
    string PaymentId,
    string NotifyId,
    int Number,
    DateTimeOffset At,
    string MerchantId,
    string NotifyUrl,
    string MerchantOrderNo,
    long Amount,
    string Currency,
    PaymentStatus Status,
    DateTimeOffset? PaidAt);

public sealed record NotificationAttemptRecord(int Number, DateTimeOffset At, int? HttpStatus, NotificationOutcome Outcome, string? Error)
{
    public bool Delivered => Outcome == NotificationOutcome.Delivered;
}

/// <summary>The notification's state after the workflow's decision (<c>nextAttemptAt</c> only while PENDING).</summary>
public sealed record NotificationStatusUpdate(string PaymentId, string NotifyId, NotificationState Status, DateTimeOffset? NextAttemptAt);

/// <summary><c>GET /api/payments/{id}/notification</c>.</summary>
public sealed record NotificationStatusView(
    NotificationState Status,
    string? NotifyId,
    IReadOnlyList<NotificationAttemptRecord> Attempts,
    DateTimeOffset? NextAttemptAt);
