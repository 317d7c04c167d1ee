namespace Payments.Api.Payments;

public sealed record CreatePaymentRequest(string? MerchantOrderNo, string? UserId, long? Amount, string? Currency, string? NotifyUrl, string? Subject);

