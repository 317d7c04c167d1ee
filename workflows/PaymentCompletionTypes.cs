using Payments.Domain;

namespace Payments.Workflows;

/// <summary>The verified bank callback that starts <c>payment-{paymentId}</c>.</summary>
public sealed record PaymentCompletionInput(
    string PaymentId,
    string BankTxnId,
    BankResult Result,
    long Amount,
    string Currency,
    DateTimeOffset? PaidAt);

/// <summary>The <c>resolve</c> signal: an operator's decision for a SUSPENDED payment.</summary>
public sealed record Resolution(ResolutionAction Action, string? Reason);

/// <summary>The <c>status</c> query of the completion workflow.</summary>
public sealed record PaymentCompletionStatus(
    string PaymentId,
    PaymentStatus Status,
    PaymentStep Step,
    int Round,
    BranchState FundAccount,
    BranchState PointsAccount,
    AccountingState Accounting,
    NotificationState Notification,
    string? LastError);

/// <summary>How the completion workflow ended: PAID, FAILED or REFUNDED, with the voucher posted (none for FAILED).</summary>
public sealed record PaymentCompletionResult(PaymentStatus Status, string? VoucherId);
