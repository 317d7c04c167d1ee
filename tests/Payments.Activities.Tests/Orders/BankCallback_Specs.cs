using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;

namespace Payments.Activities.Tests.Orders;

/// <summary>The bank callback is recorded once on its order by compare-and-set; a callback that disagrees is kept for operators.</summary>
public sealed class BankCallback_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private static readonly DateTimeOffset PaidAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private PaymentOrderStore Orders => fixture.Get<PaymentOrderStore>();

    [Fact]
    public async Task Record_SuccessOnCreatedOrder_MovesToProcessing()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankCallbackAsync(Callback(order));

        Assert.Equal(new BankCallbackResult(BankCallbackOutcome.Recorded, PaymentStatus.Processing), result);
        var view = (await fixture.Get<PaymentQueries>().GetAsync(order.PaymentId))!;
        Assert.Equal((PaymentStatus.Processing, "B-1", PaidAt, PaymentStep.Received), (view.Status, view.BankTxnId, view.PaidAt, view.Step));
    }

    [Fact]
    public async Task Record_FailedResult_MovesToFailed()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankCallbackAsync(Callback(order) with { Result = BankResult.Failed });

        Assert.Equal(new BankCallbackResult(BankCallbackOutcome.Recorded, PaymentStatus.Failed), result);
    }

    [Fact]
    public async Task Record_SameCallbackAgain_IsDuplicate()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankCallbackAsync(Callback(order));

        var again = await Orders.RecordBankCallbackAsync(Callback(order) with { PaidAt = PaidAt.AddTicks(3) });

        Assert.Equal(new BankCallbackResult(BankCallbackOutcome.Duplicate, PaymentStatus.Processing), again);
    }

    [Fact]
    public async Task Record_SameCallbackConcurrently_RecordsOnce()
    {
        var order = await NewOrderAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Orders.RecordBankCallbackAsync(Callback(order)))));

        Assert.Single(results, result => result.Outcome == BankCallbackOutcome.Recorded);
        Assert.All(results, result => Assert.Contains(result.Outcome, new[] { BankCallbackOutcome.Recorded, BankCallbackOutcome.Duplicate }));
    }

    [Fact]
    public async Task Record_OtherBankTxnId_Conflicts()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankCallbackAsync(Callback(order));

        var other = await Orders.RecordBankCallbackAsync(Callback(order) with { BankTxnId = "B-2" });

        Assert.Equal(BankCallbackOutcome.Conflict, other.Outcome);
        Assert.Equal("B-1", (await fixture.Get<PaymentQueries>().GetAsync(order.PaymentId))!.BankTxnId);
    }

    [Fact]
    public async Task Record_SameBankTxnIdOtherResult_Conflicts()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankCallbackAsync(Callback(order));

        var other = await Orders.RecordBankCallbackAsync(Callback(order) with { Result = BankResult.Failed });

        Assert.Equal(BankCallbackOutcome.Conflict, other.Outcome);
    }

    [Fact]
    public async Task Record_UnknownPayment_NotFound()
    {
        var result = await Orders.RecordBankCallbackAsync(new BankCallback("pay_unknown", "B-1", 1, "CNY", BankResult.Success, PaidAt));

        Assert.Equal(BankCallbackOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task Record_AmountMismatch_KeptAsBankExceptionAndOrderUnchanged()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankCallbackAsync(Callback(order) with { Amount = order.Amount + 1, BankTxnId = "B-odd" });

        Assert.Equal(BankCallbackOutcome.Mismatch, result.Outcome);
        var kept = Assert.Single(await Orders.ListBankExceptionsAsync(), e => e.Id == result.BankExceptionId);
        Assert.Equal((order.PaymentId, "B-odd", order.Amount + 1, "CNY"), (kept.PaymentId, kept.BankTxnId, kept.Amount, kept.Currency));
        Assert.False(string.IsNullOrWhiteSpace(kept.Reason));
        var view = (await fixture.Get<PaymentQueries>().GetAsync(order.PaymentId))!;
        Assert.Equal((PaymentStatus.Created, null), (view.Status, view.BankTxnId));
    }

    [Fact]
    public async Task Record_CurrencyMismatch_KeptAsBankException()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankCallbackAsync(Callback(order) with { Currency = "USD" });

        Assert.Equal(BankCallbackOutcome.Mismatch, result.Outcome);
        Assert.Contains(await Orders.ListBankExceptionsAsync(), e => e.Id == result.BankExceptionId && e.Currency == "USD");
    }

    private async Task<PaymentOrder> NewOrderAsync()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        return await fixture.CreatePaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);
    }

    private static BankCallback Callback(PaymentOrder order) =>
        new(order.PaymentId, "B-1", order.Amount, order.Currency, BankResult.Success, PaidAt);
}
