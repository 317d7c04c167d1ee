namespace Payments.Domain;

public sealed record VoucherLine(string Account, long Debit, long Credit);

/// <summary>The chart of accounts and the voucher lines of the contract (lines of zero are left out).</summary>
public static class Ledger
{
    public const string BankClearing = "1002 bank-clearing";
    public const string FeeIncome = "6001 fee-income";

    public static string MerchantPayable(string merchantId) => $"2202 merchant-payable:{merchantId}";

    public static string RefundPayable(string userId) => $"2241 refund-payable:{userId}";

    /// <summary>Money received for a paid payment: the merchant is owed the net amount, the platform keeps the fee.</summary>
    public static IReadOnlyList<VoucherLine> PaymentLines(string merchantId, long amount, long fee, long netAmount)
    {
        if (amount <= 0 || fee < 0 || netAmount < 0 || fee + netAmount != amount)
        {
            throw new ArgumentException($"amount {amount} is not fee {fee} + net {netAmount}.");
        }
        return WithoutZeroLines(
        [
            new VoucherLine(BankClearing, amount, 0),
            new VoucherLine(MerchantPayable(merchantId), 0, netAmount),
            new VoucherLine(FeeIncome, 0, fee),
        ]);
    }

    /// <summary>
    /// Money received and returned to the shopper: a refunded payment, or a late debit sent back (the bank clearing
    /// account takes the debit in and pays it out through what the shopper is owed).
    /// </summary>
    public static IReadOnlyList<VoucherLine> RefundLines(string userId, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        return
        [
            new VoucherLine(BankClearing, amount, 0),
            new VoucherLine(RefundPayable(userId), 0, amount),
            new VoucherLine(RefundPayable(userId), amount, 0),
            new VoucherLine(BankClearing, 0, amount),
        ];
    }

    private static VoucherLine[] WithoutZeroLines(VoucherLine[] lines) => [.. lines.Where(line => line.Debit != 0 || line.Credit != 0)];
}
