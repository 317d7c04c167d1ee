using Payments.Domain;

namespace Payments.Activities.Orders;

/// <summary>What the completion workflow needs to know about a payment.</summary>
public sealed record PaymentFacts(
    string PaymentId,
    string MerchantId,
    string MerchantOrderNo,
    string UserId,
    long Amount,
    string Currency,
    long Fee,
    long NetAmount,
    long Points,
    string NotifyUrl,
    PaymentStatus Status,
    string? BankTxnId,
    DateTimeOffset? PaidAt,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? ExpiresAt = null,
    BankResult? BankResult = null,
    string? Subject = null);

/// <summary>
/// Move a payment to <paramref name="To"/> (and, when given, record its step, branch and accounting states in the same
/// update); the order's <c>lastError</c> becomes <paramref name="LastError"/> (null clears it). <paramref name="Number"/>,
/// when given, is the move's rank in its workflow run: a move whose rank the order has passed was applied already.
/// </summary>
public sealed record StatusMove(
    string PaymentId,
    PaymentStatus To,
    PaymentStep? Step = null,
    string? LastError = null,
    BranchState? FundAccount = null,
    BranchState? PointsAccount = null,
    AccountingState? Accounting = null,
    int? Number = null);

/// <summary>The bank's result as recorded on the order: the first recorded one stands.</summary>
/// <remarks><paramref name="PaidAt"/> is null only on orders recorded before revision 2 from a callback without one.</remarks>
public sealed record RecordedBankResult(string BankTxnId, BankResult Result, DateTimeOffset? PaidAt);

/// <summary>
/// The bank's result for the order, with the move each result leads to: <paramref name="Debited"/> (to PROCESSING) for a
/// SUCCESS, <paramref name="Failed"/> (to FAILED) for a FAILED; both carry the same move number, since one of them is made.
/// </summary>
public sealed record BankResultStep(BankCallback Callback, StatusMove Debited, StatusMove Failed);

/// <summary>How the workflow's close at expiry went: closed, or a bank result was recorded first (the row decided).</summary>
public sealed record CloseOutcome(bool Closed, RecordedBankResult? Recorded);

/// <summary>An operator's decision as kept on the order: the <paramref name="Number"/>th decision of the payment.</summary>
public sealed record PaymentDecision(
    string PaymentId, int Number, ResolutionAction Action, string? Reason, ResolutionSource Source, DateTimeOffset At);

/// <summary>The refund of a late debit reached its end: REFUNDED or REFUND_REFUSED on its bank exception.</summary>
public sealed record LateDebitRefundEnd(string PaymentId, string BankTxnId, LateDebitRefundStatus Status);

/// <summary>What the payment view shows of the workflow's progress; a null field is left as it is.</summary>
public sealed record PaymentProgress(
    string PaymentId,
    PaymentStep? Step = null,
    BranchState? FundAccount = null,
    BranchState? PointsAccount = null,
    AccountingState? Accounting = null);

public sealed record NewPaymentOrder(
    string MerchantId,
    string MerchantOrderNo,
    string UserId,
    long Amount,
    string Currency,
    string NotifyUrl,
    string? Subject);

public enum CreatePaymentOutcome
{
    /// <summary>201: a new order.</summary>
    Created,

    /// <summary>200: the same merchantOrderNo with identical fields; the existing order.</summary>
    Existing,

    /// <summary>409: the same merchantOrderNo with other fields.</summary>
    Conflict,

    /// <summary>422: unknown merchant or user, currency other than the merchant's, frozen merchant.</summary>
    Refused,
}

/// <param name="Order">The new order, or the existing one a repeat or a conflict found; null when refused.</param>
public sealed record CreatePaymentResult(CreatePaymentOutcome Outcome, PaymentFacts? Order, string? Refusal = null);

public sealed record BankCallback(
    string PaymentId,
    string BankTxnId,
    long Amount,
    string Currency,
    BankResult Result,
    DateTimeOffset? PaidAt);

public enum BankCallbackOutcome
{
    /// <summary>Recorded now by the compare-and-set on "no bank result yet": signal the workflow.</summary>
    Recorded,

    /// <summary>The same callback was recorded before (paidAt not compared): signal again, which is harmless.</summary>
    Duplicate,

    /// <summary>409: the order already has another bank transaction, or the same one with other fields.</summary>
    Conflict,

    /// <summary>404.</summary>
    NotFound,

    /// <summary>422: amount or currency differ from the order; kept as a bank exception, the order unchanged.</summary>
    Mismatch,

    /// <summary>SUCCESS for a CLOSED order: kept as a bank exception whose money goes back (start its LateDebitRefund).</summary>
    LateDebit,

    /// <summary>FAILED for a CLOSED order: nothing to do.</summary>
    ClosedUnpaid,
}

/// <param name="Recorded">The bank result the order holds after the call (whoever recorded it), if any.</param>
public sealed record BankCallbackResult(
    BankCallbackOutcome Outcome, RecordedBankResult? Recorded = null, long? BankExceptionId = null, PaymentStatus? Status = null);

public sealed record BankExceptionRecord(
    long Id,
    DateTimeOffset ReceivedAt,
    string PaymentId,
    string BankTxnId,
    long Amount,
    string Currency,
    string Reason,
    LateDebitRefundStatus? RefundStatus);

/// <summary>An order created before contract revision 2, without workflow nor expiry.</summary>
public sealed record UnexpiringOrder(string PaymentId, string MerchantId, PaymentStatus Status);
