using Payments.Domain;

namespace Payments.Activities.Tests.Rules;

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
    public void CanMove_EveryPair_OnlyContractMoves()
    {
        var allowed = Allowed.Select(row => ((PaymentStatus)row[0], (PaymentStatus)row[1])).ToHashSet();
        foreach (var from in Enum.GetValues<PaymentStatus>())
        {
            foreach (var to in Enum.GetValues<PaymentStatus>())
            {
                Assert.Equal(allowed.Contains((from, to)), PaymentStatusMachine.CanMove(from, to));
            }
        }
    }

    [Theory]
    [InlineData(PaymentStatus.Paid, true)]
    [InlineData(PaymentStatus.Failed, true)]
    [InlineData(PaymentStatus.Refunded, true)]
    [InlineData(PaymentStatus.Closed, true)]
    [InlineData(PaymentStatus.Suspended, false)]
    public void IsFinal_Status_NoMoveOut(PaymentStatus status, bool final)
    {
        Assert.Equal(final, PaymentStatusMachine.IsFinal(status));
        Assert.Equal(final, Enum.GetValues<PaymentStatus>().All(to => !PaymentStatusMachine.CanMove(status, to)));
    }
}
