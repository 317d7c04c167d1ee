namespace Payments.Domain.Tests;

/// <summary>The only moves a payment may make.</summary>
public sealed class PaymentStatusMachine_Specs
{
    public static TheoryData<PaymentStatus, PaymentStatus> Allowed => new()
    {
        { PaymentStatus.Created, PaymentStatus.Processing },
        { PaymentStatus.Created, PaymentStatus.Failed },
        { PaymentStatus.Created, PaymentStatus.Closed },
        { PaymentStatus.Processing, PaymentStatus.Paid },
        { PaymentStatus.Processing, PaymentStatus.Suspended },
        { PaymentStatus.Suspended, PaymentStatus.Processing },
        { PaymentStatus.Processing, PaymentStatus.Refunded },
    };

    [Fact]
    public void AllowedFrom_EveryPair_OnlyContractMoves()
    {
        var allowed = Allowed.Select(row => ((PaymentStatus)row[0], (PaymentStatus)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<PaymentStatus>())
        {
            foreach (var to in Enum.GetValues<PaymentStatus>())
            {
                Assert.Equal(allowed.Contains((from, to)), PaymentStatusMachine.AllowedFrom(to).Contains(from));
            }
        }
    }

    [Theory]
    [InlineData(PaymentStatus.Paid, true)]
    [InlineData(PaymentStatus.Failed, true)]
    [InlineData(PaymentStatus.Refunded, true)]
    [InlineData(PaymentStatus.Closed, true)]
    [InlineData(PaymentStatus.Suspended, false)]
    public void FinalStatus_Status_HasNoMoveOut(PaymentStatus status, bool final) =>
        Assert.Equal(final, Enum.GetValues<PaymentStatus>().All(to => !PaymentStatusMachine.AllowedFrom(to).Contains(status)));
}
