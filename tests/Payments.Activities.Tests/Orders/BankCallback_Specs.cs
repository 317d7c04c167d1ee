using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;

namespace Payments.Activities.Tests.Orders;

/// <summary>
/// The bank's result is recorded once on its order by compare-and-set on "no result yet" (the status stays for the workflow
/// to move); a callback that disagrees is kept for operators; a debit after the close is kept to be returned.
/// </summary>
public sealed class BankCallback_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private static readonly DateTimeOffset PaidAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private PaymentOrderStore Orders => fixture.Get<PaymentOrderStore>();

    [Fact]
    public async Task Record_SuccessOnCreatedOrder_RecordsTheFactsAndMovesNoStatus()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankResultAsync(Callback(order));

        Assert.Equal(new BankCallbackResult(BankCallbackOutcome.Recorded, new RecordedBankResult("B-1", BankResult.Success, PaidAt), Status: PaymentStatus.Created), result);
        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Created, "B-1", PaidAt, PaymentStep.WaitingForBank), (state.Status, state.BankTxnId, state.PaidAt, state.Step));
    }

    [Fact]
    public async Task Record_WithoutPaidAt_RecordsWhenThePlatformLearnedOfIt()
    {
        var order = await NewOrderAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var result = await Orders.RecordBankResultAsync(Callback(order) with { PaidAt = null });

        Assert.InRange(result.Recorded!.PaidAt!.Value, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(result.Recorded.PaidAt, (await fixture.OrderStateAsync(order.PaymentId)).PaidAt);
    }

    [Fact]
    public async Task Record_SameCallbackAgainWithOtherPaidAt_IsDuplicateAndTheFirstPaidAtStands()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankResultAsync(Callback(order));

        var again = await Orders.RecordBankResultAsync(Callback(order) with { PaidAt = PaidAt.AddHours(3) });

        Assert.Equal(BankCallbackOutcome.Duplicate, again.Outcome);
        Assert.Equal(PaidAt, again.Recorded!.PaidAt);
    }

    [Fact]
    public async Task Record_SuccessAfterFailed_ConflictsAndIsKeptAsBankException()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankResultAsync(Callback(order) with { Result = BankResult.Failed });

        var success = await Orders.RecordBankResultAsync(Callback(order) with { BankTxnId = "B-2" });

        Assert.Equal((BankCallbackOutcome.Conflict, BankResult.Failed), (success.Outcome, success.Recorded!.Result));
        Assert.Contains(await Orders.ListBankExceptionsAsync(), e => e.Id == success.BankExceptionId && e.BankTxnId == "B-2");
    }

    [Fact]
    public async Task Record_SuccessForAClosedOrder_IsALateDebitKeptOncePerBankTransaction()
    {
        var order = await NewOrderAsync();
        await fixture.ExecuteAsync("UPDATE orders.payments SET status = 'CLOSED', step = 'DONE' WHERE payment_id = @id", ("id", order.PaymentId));

        var late = await Orders.RecordBankResultAsync(Callback(order));
        var again = await Orders.RecordBankResultAsync(Callback(order));
        var failed = await Orders.RecordBankResultAsync(Callback(order) with { BankTxnId = "B-3", Result = BankResult.Failed });

        Assert.Equal((BankCallbackOutcome.LateDebit, late.BankExceptionId), (again.Outcome, again.BankExceptionId));
        Assert.Equal(BankCallbackOutcome.ClosedUnpaid, failed.Outcome);
        var kept = Assert.Single(await Orders.ListBankExceptionsAsync(), e => e.PaymentId == order.PaymentId);
        Assert.Equal(LateDebitRefundStatus.Pending, kept.RefundStatus);
        Assert.Equal((PaymentStatus.Closed, null), ((await fixture.OrderStateAsync(order.PaymentId)).Status, (await fixture.OrderStateAsync(order.PaymentId)).BankTxnId));
    }

    [Fact]
    public async Task Record_SameCallbackConcurrently_RecordsOnce()
    {
        var order = await NewOrderAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Orders.RecordBankResultAsync(Callback(order)))));

        Assert.Single(results, result => result.Outcome == BankCallbackOutcome.Recorded);
        Assert.All(results, result => Assert.Contains(result.Outcome, new[] { BankCallbackOutcome.Recorded, BankCallbackOutcome.Duplicate }));
    }

    [Fact]
    public async Task Record_OtherBankTxnId_Conflicts()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankResultAsync(Callback(order));

        var other = await Orders.RecordBankResultAsync(Callback(order) with { BankTxnId = "B-2" });

        Assert.Equal(BankCallbackOutcome.Conflict, other.Outcome);
        Assert.Equal("B-1", (await fixture.OrderStateAsync(order.PaymentId)).BankTxnId);
    }

    [Fact]
    public async Task Record_SameBankTxnIdOtherResult_Conflicts()
    {
        var order = await NewOrderAsync();
        await Orders.RecordBankResultAsync(Callback(order));

        var other = await Orders.RecordBankResultAsync(Callback(order) with { Result = BankResult.Failed });

        Assert.Equal(BankCallbackOutcome.Conflict, other.Outcome);
    }

    [Fact]
    public async Task Record_UnknownPayment_NotFound()
    {
        var result = await Orders.RecordBankResultAsync(new BankCallback("pay_unknown", "B-1", 1, "CNY", BankResult.Success, PaidAt));

        Assert.Equal(BankCallbackOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task Record_AmountMismatch_KeptAsBankExceptionAndOrderUnchanged()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankResultAsync(Callback(order) with { Amount = order.Amount + 1, BankTxnId = "B-odd" });

        Assert.Equal(BankCallbackOutcome.Mismatch, result.Outcome);
        var kept = Assert.Single(await Orders.ListBankExceptionsAsync(), e => e.Id == result.BankExceptionId);
        Assert.Equal((order.PaymentId, "B-odd", order.Amount + 1, "CNY"), (kept.PaymentId, kept.BankTxnId, kept.Amount, kept.Currency));
        Assert.False(string.IsNullOrWhiteSpace(kept.Reason));
        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Created, null), (state.Status, state.BankTxnId));
    }

    [Fact]
    public async Task Record_CurrencyMismatch_KeptAsBankException()
    {
        var order = await NewOrderAsync();

        var result = await Orders.RecordBankResultAsync(Callback(order) with { Currency = "USD" });

        Assert.Equal(BankCallbackOutcome.Mismatch, result.Outcome);
        Assert.Contains(await Orders.ListBankExceptionsAsync(), e => e.Id == result.BankExceptionId && e.Currency == "USD");
    }

    private async Task<PaymentFacts> NewOrderAsync()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        return await fixture.CreatePaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);
    }

    private static BankCallback Callback(PaymentFacts order) =>
        new(order.PaymentId, "B-1", order.Amount, order.Currency, BankResult.Success, PaidAt);
}
