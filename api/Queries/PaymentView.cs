using Payments.Domain;

namespace Payments.Api.Queries;

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
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    string? LastError,
    IReadOnlyList<PaymentResolution> Resolutions);

/// <summary>A decision in the payment view.</summary>
public sealed record PaymentResolution(ResolutionAction Action, string? Reason, ResolutionSource Source, DateTimeOffset At);

/// <summary>Newest first; <paramref name="Cursor"/> is the <c>nextCursor</c> of the previous page.</summary>
public sealed record PaymentListQuery(PaymentStatus? Status = null, string? MerchantId = null, int Limit = 50, string? Cursor = null)
{
    public const int MaxLimit = 200;
}

public sealed record PaymentPage(IReadOnlyList<PaymentView> Items, string? NextCursor);
