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
    DateTimeOffset? PaidAt);

/// <summary>Move a payment to <paramref name="To"/> (and, when given, record its step in the same update).</summary>
public sealed record StatusMove(string PaymentId, PaymentStatus To, PaymentStep? Step = null);

/// <summary>What the payment view shows of the workflow's progress; a null field is left as it is.</summary>
public sealed record PaymentProgress(
    string PaymentId,
    PaymentStep? Step = null,
    BranchState? FundAccount = null,
    BranchState? PointsAccount = null,
    AccountingState? Accounting = null);

/// <summary>A payment order as created (the 201/200 answer of <c>POST /api/payments</c>).</summary>
public sealed record PaymentOrder(
    string PaymentId,
    string MerchantId,
    string MerchantOrderNo,
    string UserId,
    long Amount,
    string Currency,
    string NotifyUrl,
    string? Subject,
    PaymentStatus Status,
    DateTimeOffset CreatedAt);

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

public sealed record CreatePaymentResult(CreatePaymentOutcome Outcome, PaymentOrder? Order, string? Refusal = null);

public sealed record BankCallback(
    string PaymentId,
    string BankTxnId,
    long Amount,
    string Currency,
    BankResult Result,
    DateTimeOffset? PaidAt);

public enum BankCallbackOutcome
{
    /// <summary>Recorded now: the order moved CREATED → PROCESSING (or FAILED); start the workflow.</summary>
    Recorded,

    /// <summary>The same callback was recorded before: nothing changed; (re)start the workflow, which is harmless.</summary>
    Duplicate,

    /// <summary>409: the order already has another bank transaction, or the same one with other fields.</summary>
    Conflict,

    /// <summary>404.</summary>
    NotFound,

    /// <summary>422: amount or currency differ from the order; kept as a bank exception, the order unchanged.</summary>
    Mismatch,
}

public sealed record BankCallbackResult(BankCallbackOutcome Outcome, PaymentStatus? Status = null, long? BankExceptionId = null);

public sealed record BankExceptionRecord(
    long Id,
    DateTimeOffset ReceivedAt,
    string PaymentId,
    string BankTxnId,
    long Amount,
    string Currency,
    string Reason);

public enum ResolutionOutcome
{
    /// <summary>Moved out of SUSPENDED now: signal the workflow.</summary>
    Moved,

    /// <summary>409: not SUSPENDED (any more).</summary>
    NotSuspended,

    NotFound,
}

/// <summary>The payment read view of the contract (<c>GET /api/payments/{id}</c>), read from PostgreSQL only.</summary>
public sealed record PaymentView(
    string PaymentId,
    string MerchantId,
    string MerchantOrderNo,
    string UserId,
    long Amount,
    string Currency,
    long Fee,
    long NetAmount,
    long Points,
    PaymentStatus Status,
    string? BankTxnId,
    DateTimeOffset? PaidAt,
    string WorkflowId,
    PaymentStep? Step,
    BranchState FundAccount,
    BranchState PointsAccount,
    AccountingState Accounting,
    NotificationState Notification,
    string NotifyUrl,
    string? Subject,
    DateTimeOffset CreatedAt);

/// <summary>Newest first; <paramref name="Cursor"/> is the <c>nextCursor</c> of the previous page.</summary>
public sealed record PaymentListQuery(PaymentStatus? Status = null, string? MerchantId = null, int Limit = 50, string? Cursor = null)
{
    public const int MaxLimit = 200;
}

public sealed record PaymentPage(IReadOnlyList<PaymentView> Items, string? NextCursor);
