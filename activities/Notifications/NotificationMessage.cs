using System.Text.Json;
using Payments.Domain;

namespace Payments.Activities.Notifications;

/// <summary>The body the merchant receives, in the contract's field order and spelling.</summary>
internal sealed record NotificationMessage(
    string NotifyId,
    string PaymentId,
    string MerchantOrderNo,
    long Amount,
    string Currency,
    string Status,
    string? PaidAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize(NotificationRequest request) => JsonSerializer.SerializeToUtf8Bytes(
        new NotificationMessage(
            request.NotifyId,
            request.PaymentId,
            request.MerchantOrderNo,
            request.Amount,
            request.Currency,
            WireName.Of(request.Status),
            request.PaidAt is { } paidAt ? Timestamps.ToWire(paidAt) : null),
        Json);
}
