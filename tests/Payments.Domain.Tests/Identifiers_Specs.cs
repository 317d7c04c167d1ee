namespace Payments.Domain.Tests;

/// <summary>Identifier, currency and wire-name rules.</summary>
public sealed class Identifiers_Specs
{
    [Theory]
    [InlineData("m1", true)]
    [InlineData("A_b-9", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("é", false)]
    [InlineData("m1\n", false)]
    public void IsValidClientId_Value_MatchesContractPattern(string value, bool valid) => Assert.Equal(valid, Identifiers.IsValidClientId(value));

    [Theory]
    [InlineData("payment-pay_0193", "pay_0193")]
    [InlineData("notify-pay_0193", "pay_0193")]
    [InlineData("late-debit-pay_0193-B-77-1", "pay_0193")]
    [InlineData("ledger-reconciliation", null)]
    [InlineData("payment-", null)]
    public void PaymentIdOfWorkflow_WorkflowId_NamesItsPayment(string workflowId, string? paymentId) =>
        Assert.Equal(paymentId, Identifiers.PaymentIdOfWorkflow(workflowId));

    [Fact]
    public void IsValidClientId_Length_AtMost64()
    {
        Assert.True(Identifiers.IsValidClientId(new string('a', 64)));
        Assert.False(Identifiers.IsValidClientId(new string('a', 65)));
    }

    [Fact]
    public void NewPaymentId_TwoInARow_DistinctAndOrdered()
    {
        var first = Identifiers.NewPaymentId();
        var second = Identifiers.NewPaymentId();

        Assert.NotEqual(first, second);
        Assert.True(Identifiers.IsValidClientId(first));
    }

    [Fact]
    public void Derived_PaymentId_ContractNames()
    {
        Assert.Equal("payment-p1", Identifiers.CompletionWorkflowId("p1"));
        Assert.Equal("notify-p1", Identifiers.NotificationWorkflowId("p1"));
        Assert.Equal("p1:2", Identifiers.BarrierId("p1", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Identifiers.BarrierId("p1", 0));
    }

    [Fact]
    public void Currencies_DefaultList_SupportsOnlyConfigured()
    {
        var currencies = new Currencies(Currencies.Default);

        Assert.True(currencies.IsSupported("CNY"));
        Assert.False(currencies.IsSupported("JPY"));
        Assert.False(currencies.IsSupported("cny"));
        Assert.Throws<ArgumentException>(() => new Currencies("CNY,yen"));
    }

    [Theory]
    [InlineData(PaymentStep.WaitingForOperator, "WAITING_FOR_OPERATOR")]
    [InlineData(PaymentStep.PostingVoucher, "POSTING_VOUCHER")]
    [InlineData(PaymentStep.Done, "DONE")]
    public void WireName_Step_UpperSnakeBothWays(PaymentStep step, string wire)
    {
        Assert.Equal(wire, WireName.Of(step));
        Assert.Equal(step, WireName.Parse<PaymentStep>(wire));
    }

    [Fact]
    public void WireName_Unknown_NotParsed()
    {
        Assert.False(WireName.TryParse<NotificationState>("GaveUp", out _));
        Assert.Equal(NotificationState.GaveUp, WireName.Parse<NotificationState>("GAVE_UP"));
    }

    [Fact]
    public void Timestamps_WholeSecond_ContractFormat() =>
        Assert.Equal("2026-11-23T12:00:00Z", Timestamps.ToWire(new DateTimeOffset(2026, 11, 23, 20, 0, 0, TimeSpan.FromHours(8))));
}
