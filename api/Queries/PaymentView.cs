using System.Text.Json.Serialization;
using Payments.Activities.Orders;
using Payments.Domain;

namespace Payments.Api.Queries;

/// <summary>
/// The payment read view of the contract (<c>GET /api/payments/{id}</c>), read from PostgreSQL only: the order's own
/// facts (its row, read once through <c>OrderRow</c>) shown flat, then what the workflow and the participants recorded.
/// </summary>
public sealed record PaymentView(
    [property: JsonIgnore] PaymentFacts Order,
    [property: JsonPropertyOrder(1)] PaymentStep? Step,
    [property: JsonPropertyOrder(1)] BranchState FundAccount,
    [property: JsonPropertyOrder(1)] BranchState PointsAccount,
    [property: JsonPropertyOrder(1)] AccountingState Accounting,
    [property: JsonPropertyOrder(1)] NotificationState Notification,
    [property: JsonPropertyOrder(1)] string? LastError,
    [property: JsonPropertyOrder(1)] IReadOnlyList<PaymentResolution> Resolutions)
{
    public string PaymentId => Order.PaymentId;

    public string MerchantId => Order.MerchantId;

    public string MerchantOrderNo => Order.MerchantOrderNo;

    public string UserId => Order.UserId;

    public long Amount => Order.Amount;

    public string Currency => Order.Currency;

    public long Fee => Order.Fee;

    public long NetAmount => Order.NetAmount;

    public long Points => Order.Points;

    public PaymentStatus Status => Order.Status;

    public string? BankTxnId => Order.BankTxnId;

    public DateTimeOffset? PaidAt => Order.PaidAt;

    public string WorkflowId => Identifiers.CompletionWorkflowId(Order.PaymentId);

    public string NotifyUrl => Order.NotifyUrl;

    public string? Subject => Order.Subject;

    public DateTimeOffset CreatedAt => Order.CreatedAt!.Value;

    public DateTimeOffset? ExpiresAt => Order.ExpiresAt;
}

/// <summary>A decision in the payment view.</summary>
public sealed record PaymentResolution(ResolutionAction Action, string? Reason, ResolutionSource Source, DateTimeOffset At);

/// <summary>Newest first; <paramref name="Cursor"/> is the <c>nextCursor</c> of the previous page.</summary>
public sealed record PaymentListQuery(PaymentStatus? Status = null, string? MerchantId = null, int Limit = 50, string? Cursor = null)
{
    public const int MaxLimit = 200;
}

public sealed record PaymentPage(IReadOnlyList<PaymentView> Items, string? NextCursor);
