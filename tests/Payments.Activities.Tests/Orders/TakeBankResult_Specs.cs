using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Orders;

/// <summary>The signalled bank result taken with the move it leads to: one statement for the usual case, the full checks for the rest.</summary>
public sealed class TakeBankResult_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private readonly ActivityEnvironment _environment = new();

    private OrderActivities Activities => fixture.Get<OrderActivities>();

    [Theory]
    [InlineData(BankResult.Success, PaymentStatus.Processing, PaymentStep.Trying)]
    [InlineData(BankResult.Failed, PaymentStatus.Failed, PaymentStep.Done)]
    public async Task Take_RecordedByTheCallback_MovesToWhereTheResultLeads(BankResult result, PaymentStatus status, PaymentStep step)
    {
        var (order, callback) = await NewCallbackAsync(result);
        await fixture.Get<PaymentOrderStore>().RecordBankResultAsync(callback);

        var taken = await _environment.RunAsync(() => Activities.TakeBankResultAsync(StepOf(callback, number: 1)));

        Assert.Equal((callback.BankTxnId, result), (taken.Recorded?.BankTxnId, taken.Recorded?.Result));
        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((status, step, callback.BankTxnId), (state.Status, state.Step, state.BankTxnId));
    }

    [Fact]
    public async Task Take_NothingRecordedYet_RecordsAndMoves()
    {
        var (order, callback) = await NewCallbackAsync(BankResult.Success);

        var taken = await _environment.RunAsync(() => Activities.TakeBankResultAsync(StepOf(callback, number: 1)));

        Assert.Equal(BankCallbackOutcome.Recorded, taken.Outcome);
        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Processing, callback.BankTxnId, callback.PaidAt), (state.Status, state.BankTxnId, state.PaidAt));
    }

    [Fact]
    public async Task Take_RunAgainAfterTheMove_SucceedsWithTheSameResult()
    {
        var (order, callback) = await NewCallbackAsync(BankResult.Success);
        await _environment.RunAsync(() => Activities.TakeBankResultAsync(StepOf(callback, number: 1)));

        var again = await _environment.RunAsync(() => Activities.TakeBankResultAsync(StepOf(callback, number: 1)));

        Assert.Equal((BankCallbackOutcome.Duplicate, callback.BankTxnId), (again.Outcome, again.Recorded?.BankTxnId));
        Assert.Equal(PaymentStatus.Processing, (await fixture.OrderStateAsync(order.PaymentId)).Status);
    }

    [Fact]
    public async Task Take_AmountMismatch_NotTakenAndNothingMoves()
    {
        var (order, callback) = await NewCallbackAsync(BankResult.Success);

        var taken = await _environment.RunAsync(() => Activities.TakeBankResultAsync(StepOf(callback with { Amount = 1 }, number: 1)));

        Assert.Equal((BankCallbackOutcome.Mismatch, null), (taken.Outcome, taken.Recorded));
        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Created, null), (state.Status, state.BankTxnId));
    }

    [Fact]
    public async Task Take_AnotherResultRecordedFirst_MovesWhereTheRecordedOneLeads()
    {
        var (order, failed) = await NewCallbackAsync(BankResult.Failed);
        await fixture.Get<PaymentOrderStore>().RecordBankResultAsync(failed);

        var taken = await _environment.RunAsync(() => Activities.TakeBankResultAsync(
            StepOf(failed with { BankTxnId = ParticipantsFixture.NewId("b"), Result = BankResult.Success }, number: 1)));

        Assert.Equal((BankCallbackOutcome.Conflict, failed.BankTxnId), (taken.Outcome, taken.Recorded?.BankTxnId));
        Assert.Equal(PaymentStatus.Failed, (await fixture.OrderStateAsync(order.PaymentId)).Status);
    }

    private static BankResultStep StepOf(BankCallback callback, int number) => new(
        callback,
        new StatusMove(callback.PaymentId, PaymentStatus.Processing, PaymentStep.Trying, Number: number),
        new StatusMove(callback.PaymentId, PaymentStatus.Failed, PaymentStep.Done, Number: number));

    private async Task<(PaymentFacts Order, BankCallback Callback)> NewCallbackAsync(BankResult result)
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var order = await fixture.CreatePaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);
        var paidAt = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        return (order, new BankCallback(order.PaymentId, ParticipantsFixture.NewId("b"), order.Amount, order.Currency, result, paidAt));
    }
}
