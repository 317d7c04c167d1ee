using Payments.Domain;

namespace Payments.Activities.Accounting;

public sealed record PaymentVoucherRequest(string PaymentId, string MerchantId, long Amount, long Fee, long NetAmount);

public sealed record RefundVoucherRequest(string PaymentId, string UserId, long Amount);

/// <summary>The voucher of a late debit <paramref name="BankTxnId"/> the bank returned to the shopper <paramref name="UserId"/>.</summary>
public sealed record LateDebitVoucherRequest(string PaymentId, string BankTxnId, string UserId, long Amount);

/// <summary>A posted voucher; <paramref name="BankTxnId"/> names the late debit a LATE_DEBIT_REFUND voucher returned (null otherwise).</summary>
public sealed record Voucher(
    string VoucherId, string PaymentId, VoucherKind Kind, string? BankTxnId, DateTimeOffset PostedAt, IReadOnlyList<VoucherLine> Lines);
