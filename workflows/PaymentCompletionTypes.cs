using Payments.Domain;

namespace Payments.Workflows;

/// <summary>
/// The input of <c>payment-{paymentId}</c>. Since contract revision 2 it starts at the order's creation with the
/// payment id and the bank query schedule; the bank's result arrives as the <c>bankResult</c> signal. Runs of the
/// previous version were started by the callback and carry the bank's result here (inputs only gain fields).
/// </summary>
public sealed record PaymentCompletionInput(
    string PaymentId,
    string? BankTxnId = null,
    BankResult? Result = null,
    long Amount = 0,
    string? Currency = null,
    DateTimeOffset? PaidAt = null,
    IReadOnlyList<TimeSpan>? BankQuerySchedule = null,
    TimeSpan? ExpireAfter = null);

/// <summary>The <c>bankResult</c> signal: the bank's facts, as the callback (or the Temporal UI) reports them.</summary>
public sealed record BankResultSignal(string BankTxnId, BankResult Result, long Amount, string Currency, DateTimeOffset? PaidAt);

/// <summary>The <c>resolve</c> signal and update: an operator's decision for a SUSPENDED payment.</summary>
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

/// <summary>How the completion workflow ended: PAID, FAILED, REFUNDED or CLOSED, with the voucher posted (none for FAILED and CLOSED).</summary>
public sealed record PaymentCompletionResult(PaymentStatus Status, string? VoucherId);
