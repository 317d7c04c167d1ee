using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Orders;

/// <summary>The order's activities: facts for the workflow, status moves only along the contract's machine, progress for the view.</summary>
public sealed class OrderActivities_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private readonly ActivityEnvironment _environment = new();

    private OrderActivities Activities => fixture.Get<OrderActivities>();

    [Fact]
    public async Task LoadPayment_ProcessingPayment_ReturnsFacts()
    {
        var order = await NewProcessingAsync();

        var facts = await _environment.RunAsync(() => Activities.LoadPaymentAsync(order.PaymentId));

        Assert.Equal((order.MerchantId, order.UserId, 10_000L, 60L, 9_940L, 100L), (facts.MerchantId, facts.UserId, facts.Amount, facts.Fee, facts.NetAmount, facts.Points));
        Assert.Equal((PaymentStatus.Processing, order.NotifyUrl, order.MerchantOrderNo), (facts.Status, facts.NotifyUrl, facts.MerchantOrderNo));
        Assert.NotNull(facts.BankTxnId);
    }

    [Fact]
    public async Task LoadPayment_Unknown_FailsNonRetryable()
    {
        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(() => _environment.RunAsync(() => Activities.LoadPaymentAsync("pay_unknown")));

        Assert.Equal((ParticipantErrors.PaymentNotFound, true), (refusal.ErrorType, refusal.NonRetryable));
    }

    [Fact]
    public async Task MoveStatus_AllowedMove_MovesAndRecordsStep()
    {
        var order = await NewProcessingAsync();

        await _environment.RunAsync(() => Activities.MoveStatusAsync(new StatusMove(order.PaymentId, PaymentStatus.Suspended, PaymentStep.WaitingForOperator)));

        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Suspended, PaymentStep.WaitingForOperator), (state.Status, state.Step));
    }

    [Fact]
    public async Task MoveStatus_AlreadyInTarget_Succeeds()
    {
        var order = await NewProcessingAsync();
        var move = new StatusMove(order.PaymentId, PaymentStatus.Paid);
        await _environment.RunAsync(() => Activities.MoveStatusAsync(move));

        await _environment.RunAsync(() => Activities.MoveStatusAsync(move));

        Assert.Equal(PaymentStatus.Paid, (await fixture.OrderStateAsync(order.PaymentId)).Status);
    }

    [Theory]
    [InlineData(PaymentStatus.Closed)]
    [InlineData(PaymentStatus.Created)]
    [InlineData(PaymentStatus.Failed)]
    public async Task MoveStatus_IllegalMove_FailsNonRetryableAndChangesNothing(PaymentStatus target)
    {
        var order = await NewProcessingAsync();

        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _environment.RunAsync(() => Activities.MoveStatusAsync(new StatusMove(order.PaymentId, target, PaymentStep.Done))));

        Assert.Equal((ParticipantErrors.IllegalTransition, true), (refusal.ErrorType, refusal.NonRetryable));
        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Processing, PaymentStep.Trying), (state.Status, state.Step));
    }

    [Fact]
    public async Task RecordProgress_SomeFields_ChangesOnlyThose()
    {
        var order = await NewProcessingAsync();

        await _environment.RunAsync(() => Activities.RecordProgressAsync(new PaymentProgress(order.PaymentId, PaymentStep.Trying, FundAccount: BranchState.Tried)));
        await _environment.RunAsync(() => Activities.RecordProgressAsync(new PaymentProgress(order.PaymentId, PointsAccount: BranchState.Tried, Accounting: AccountingState.Pending)));

        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal(
            (PaymentStep.Trying, BranchState.Tried, BranchState.Tried, AccountingState.Pending),
            (state.Step, state.FundAccount, state.PointsAccount, state.Accounting));
    }

    private async Task<PaymentFacts> NewProcessingAsync()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        return await fixture.CreateProcessingPaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);
    }
}
