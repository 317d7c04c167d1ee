using System.Security.Cryptography;
using System.Text;

namespace Payments.Domain.Tests;

/// <summary>Voucher lines balance; signatures are HMAC-SHA256 over timestamp + "." + body.</summary>
public sealed class Ledger_Specs
{
    [Theory]
    [InlineData(10_000, 60)]
    [InlineData(1, 0)]
    [InlineData(100, 10_000)]
    public void PaymentLines_AnyFee_DebitsEqualCreditsWithoutZeroLines(long amount, int feeBps)
    {
        var amounts = PaymentAmounts.Of(amount, feeBps);

        var lines = Ledger.PaymentLines("m1", amount, amounts.Fee, amounts.NetAmount);

        Assert.Equal(lines.Sum(l => l.Debit), lines.Sum(l => l.Credit));
        Assert.DoesNotContain(lines, l => l.Debit == 0 && l.Credit == 0);
    }

    [Fact]
    public void RefundLines_Amount_FourBalancedLines()
    {
        var lines = Ledger.RefundLines("u1", 500);

        Assert.Equal(4, lines.Count);
        Assert.Equal(1_000, lines.Sum(l => l.Debit));
        Assert.Equal(1_000, lines.Sum(l => l.Credit));
    }

    [Fact]
    public void Sign_Message_HmacOfTimestampDotBody()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), Encoding.UTF8.GetBytes("1700000000.{\"a\":1}")));

        Assert.Equal(expected, Signatures.Sign("secret", 1_700_000_000, body));
        Assert.True(Signatures.Verify("secret", 1_700_000_000, body, expected));
        Assert.False(Signatures.Verify("secret", 1_700_000_001, body, expected));
        Assert.False(Signatures.Verify("other", 1_700_000_000, body, expected));
    }
}
