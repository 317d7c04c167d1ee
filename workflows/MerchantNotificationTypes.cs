using Payments.Activities.Notifications;
using Payments.Domain;

namespace Payments.Workflows;

/// <summary>What the merchant is told about a payment (PAID or REFUNDED).</summary>
public sealed record NotificationFacts(
    string PaymentId,
    string MerchantId,
    string MerchantOrderNo,
    string NotifyUrl,
    long Amount,
    string Currency,
    PaymentStatus Status,
    DateTimeOffset? PaidAt);

/// <summary>
/// Starts <c>notify-{paymentId}</c>. <paramref name="Settings"/> null: the workflow reads the configured schedule;
/// <paramref name="Progress"/> is what an earlier run carried over (continue-as-new).
/// </summary>
public sealed record MerchantNotificationInput(NotificationFacts Payment, NotificationSettings? Settings = null, NotificationProgress? Progress = null);

/// <summary>
/// Where the schedule stands: <paramref name="NextSlot"/> is the index of the next scheduled attempt, counted from
/// <paramref name="SlotBase"/> (the start of the previous scheduled attempt, or of the notification).
/// </summary>
public sealed record NotificationProgress(
    string NotifyId,
    IReadOnlyList<NotificationAttemptRecord> Attempts,
    int NextSlot,
    DateTimeOffset SlotBase,
    bool RetryRequested);
