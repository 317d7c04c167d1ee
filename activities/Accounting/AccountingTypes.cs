using Payments.Domain;

namespace Payments.Activities.Accounting;

public sealed record PaymentVoucherRequest(string PaymentId, string MerchantId, long Amount, long Fee, long NetAmount);

public sealed record RefundVoucherRequest(string PaymentId, string UserId, long Amount);

public sealed record Voucher(string VoucherId, string PaymentId, DateTimeOffset PostedAt, IReadOnlyList<VoucherLine> Lines);
