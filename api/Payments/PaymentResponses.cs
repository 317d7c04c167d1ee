using Payments.Activities.Orders;
using Payments.Domain;

namespace Payments.Api.Payments;

public sealed record CreatePaymentRequest(string? MerchantOrderNo, string? UserId, long? Amount, string? Currency, string? NotifyUrl, string? Subject);

/// <summary>The 201/200 answer of <c>POST /api/payments</c>.</summary>
public sealed record CreatedPaymentResponse(
    string PaymentId,
    string MerchantId,
    string MerchantOrderNo,
    string UserId,
    long Amount,
    string Currency,
    PaymentStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt)
{
    public static CreatedPaymentResponse From(PaymentOrder order) =>
        new(order.PaymentId, order.MerchantId, order.MerchantOrderNo, order.UserId, order.Amount, order.Currency, order.Status, order.CreatedAt, order.ExpiresAt);
}

/// <summary>The contract's payment view (<c>GET /api/payments/{id}</c>, <c>GET /api/merchant/orders/{no}</c>).</summary>
public sealed record PaymentResponse(
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
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    string? LastError,
    IReadOnlyList<PaymentResolution> Resolutions)
{
    public static PaymentResponse From(PaymentView view, PaymentStep? liveStep = null) => new(
        view.PaymentId, view.MerchantId, view.MerchantOrderNo, view.UserId, view.Amount, view.Currency, view.Fee, view.NetAmount,
        view.Points, view.Status, view.BankTxnId, view.PaidAt, view.WorkflowId, liveStep ?? view.Step, view.FundAccount,
        view.PointsAccount, view.Accounting, view.Notification, view.CreatedAt, view.ExpiresAt, view.LastError, view.Resolutions);
}

public sealed record PaymentListResponse(IReadOnlyList<PaymentResponse> Items, string? NextCursor);
