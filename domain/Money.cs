namespace Payments.Domain;

/// <summary>Money rules of the contract: amounts are 64-bit minor units, fees in basis points.</summary>
public static class Money
{
    public const long MinAmount = 1;
    public const long MaxAmount = 1_000_000_000_000;
    public const int MaxFeeBps = 10_000;
    public const int DefaultFeeBps = 60;
    public const long MinorUnitsPerPoint = 100;

    public static bool IsValidAmount(long amount) => amount is >= MinAmount and <= MaxAmount;

    public static bool IsValidFeeBps(int feeBps) => feeBps is >= 0 and <= MaxFeeBps;

    /// <summary>round-half-up(amount × feeBps / 10000); amounts are capped at 10^12 so the product fits in a long.</summary>
    public static long Fee(long amount, int feeBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (!IsValidFeeBps(feeBps))
        {
            throw new ArgumentOutOfRangeException(nameof(feeBps), feeBps, "feeBps must be within 0..10000.");
        }
        return ((amount * feeBps) + (MaxFeeBps / 2)) / MaxFeeBps;
    }

    public static long Points(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return amount / MinorUnitsPerPoint;
    }
}

/// <summary>What one payment amount is worth to each participant.</summary>
public sealed record PaymentAmounts(long Amount, long Fee, long NetAmount, long Points)
{
    public static PaymentAmounts Of(long amount, int feeBps)
    {
        var fee = Money.Fee(amount, feeBps);
        return new PaymentAmounts(amount, fee, amount - fee, Money.Points(amount));
    }
}
