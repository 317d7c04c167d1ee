namespace Payments.Domain.Tests;

/// <summary>Fee (round half up), net amount and points, exactly as the contract defines them.</summary>
public sealed class Money_Specs
{
    [Theory]
    [InlineData(10_000, 60, 60)]
    [InlineData(1, 60, 0)]
    [InlineData(1_250, 100, 13)]
    [InlineData(1_249, 100, 12)]
    [InlineData(50, 100, 1)]
    [InlineData(49, 100, 0)]
    [InlineData(10_000, 0, 0)]
    [InlineData(10_000, 10_000, 10_000)]
    [InlineData(1_000_000_000_000, 10_000, 1_000_000_000_000)]
    [InlineData(999_999_999_999, 9_999, 999_899_999_999)]
    public void Fee_AmountAndBps_RoundsHalfUp(long amount, int feeBps, long fee) => Assert.Equal(fee, Money.Fee(amount, feeBps));

    [Theory]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(10_099, 100)]
    public void Points_Amount_FlooredHundredths(long amount, long points) => Assert.Equal(points, Money.Points(amount));

    [Fact]
    public void Of_Amount_NetIsAmountLessFee() =>
        Assert.Equal(new PaymentAmounts(10_000, 60, 9_940, 100), PaymentAmounts.Of(10_000, 60));

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Fee_BpsOutOfRange_Throws(int feeBps) => Assert.Throws<ArgumentOutOfRangeException>(() => Money.Fee(100, feeBps));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(1_000_000_000_000, true)]
    [InlineData(1_000_000_000_001, false)]
    public void IsValidAmount_Bounds_ContractRange(long amount, bool valid) => Assert.Equal(valid, Money.IsValidAmount(amount));
}
