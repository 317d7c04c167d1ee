using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Orders;

/// <summary>An operator moves a SUSPENDED payment out by compare-and-set: exactly one resolution wins.</summary>
public sealed class Resolution_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private PaymentOrderStore Orders => fixture.Get<PaymentOrderStore>();

    [Theory]
    [InlineData(ResolutionAction.Retry, PaymentStatus.Processing, PaymentStep.Trying)]
    [InlineData(ResolutionAction.Refund, PaymentStatus.Refunded, PaymentStep.Refunding)]
    public async Task Resolve_Suspended_MovesOut(ResolutionAction action, PaymentStatus status, PaymentStep step)
    {
        var paymentId = await NewSuspendedAsync();

        Assert.Equal(ResolutionOutcome.Moved, await Orders.ResolveAsync(paymentId, action));

        var view = (await fixture.Get<PaymentQueries>().GetAsync(paymentId))!;
        Assert.Equal((status, step), (view.Status, view.Step));
    }

    [Fact]
    public async Task Resolve_Concurrently_OnlyOneWins()
    {
        var paymentId = await NewSuspendedAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => Orders.ResolveAsync(paymentId, i % 2 == 0 ? ResolutionAction.Retry : ResolutionAction.Refund))));

        Assert.Single(outcomes, outcome => outcome == ResolutionOutcome.Moved);
        Assert.Equal(7, outcomes.Count(outcome => outcome == ResolutionOutcome.NotSuspended));
    }

    [Fact]
    public async Task Resolve_NotSuspended_Refused()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var order = await fixture.CreateProcessingPaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);

        Assert.Equal(ResolutionOutcome.NotSuspended, await Orders.ResolveAsync(order.PaymentId, ResolutionAction.Retry));
        Assert.Equal(ResolutionOutcome.NotFound, await Orders.ResolveAsync("pay_unknown", ResolutionAction.Retry));
    }

    private async Task<string> NewSuspendedAsync()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var order = await fixture.CreateProcessingPaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);
        await new ActivityEnvironment().RunAsync(() => fixture.Get<OrderActivities>().MoveStatusAsync(
            new StatusMove(order.PaymentId, PaymentStatus.Suspended, PaymentStep.WaitingForOperator)));
        return order.PaymentId;
    }
}
