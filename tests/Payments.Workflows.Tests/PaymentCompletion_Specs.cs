using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Exceptions;

namespace Payments.Workflows.Tests;

/// <summary>The completion workflow pays, or fails, a payment the bank reported, leaving every participant consistent.</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class PaymentCompletion_Specs(WorkflowEnvironmentFixture fixture)
{
    private readonly PaymentsWorld _world = fixture.World;

    [Fact]
    public async Task Complete_BankSuccess_CreditsAwardsPostsOneVoucherAndNotifiesWithoutANotificationWorkflow()
    {
        var payment = await _world.NewPaymentAsync(amount: 10_000);

        var handle = await _world.StartCompletionAsync(payment);
        var result = await handle.GetResultAsync();

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal(NotificationState.Delivered, await _world.NotificationResultAsync(payment));
        var view = await _world.ViewAsync(payment);
        Assert.Equal(
            (PaymentStatus.Paid, PaymentStep.Done, BranchState.Confirmed, BranchState.Confirmed, AccountingState.Posted, NotificationState.Delivered),
            (view.Status, view.Step, view.FundAccount, view.PointsAccount, view.Accounting, view.Notification));
        var account = await _world.FundAccountAsync(payment);
        Assert.Equal((payment.Amounts.NetAmount, 0L), (account.Balance, account.PendingCredit));
        var points = await _world.PointsAccountAsync(payment);
        Assert.Equal((100L, 0L), (points.Points, points.PendingPoints));
        var voucher = Assert.Single(await _world.VouchersAsync(payment));
        Assert.Equal(result.VoucherId, voucher.VoucherId);
        var received = Assert.Single(_world.ReceivedBy(payment));
        Assert.Equal(("PAID", payment.PaymentId), (received.Status, received.PaymentId));

        var status = await handle.QueryAsync(wf => wf.Status);
        Assert.Equal(
            new PaymentCompletionStatus(
                payment.PaymentId, PaymentStatus.Paid, PaymentStep.Done, 1, BranchState.Confirmed, BranchState.Confirmed,
                AccountingState.Posted, NotificationState.Delivered, null),
            status);
        Assert.Equal((payment.MerchantId, "PAID"), await _world.SearchAttributesAsync(handle));
        // The first attempt, the completion's own, delivered: no notification workflow was needed.
        var missing = await Assert.ThrowsAsync<RpcException>(() => _world.Notification(payment).DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, missing.Code);
        await Histories.KeepAsync(handle, "completion-paid");
    }

    [Fact]
    public async Task Complete_BankFailed_MarksTheOrderFailedAndTouchesNoParticipant()
    {
        var payment = await _world.NewPaymentAsync();

        var handle = await _world.StartCompletionAsync(payment, BankResult.Failed);
        var result = await handle.GetResultAsync();

        Assert.Equal(new PaymentCompletionResult(PaymentStatus.Failed, null), result);
        var view = await _world.ViewAsync(payment);
        Assert.Equal(
            (PaymentStatus.Failed, PaymentStep.Done, BranchState.None, BranchState.None, AccountingState.None, NotificationState.None),
            (view.Status, view.Step, view.FundAccount, view.PointsAccount, view.Accounting, view.Notification));
        Assert.Equal(0, (await _world.FundAccountAsync(payment)).Balance);
        Assert.Empty(await _world.VouchersAsync(payment));
        Assert.Empty(_world.ReceivedBy(payment));
        Assert.Equal((payment.MerchantId, "FAILED"), await _world.SearchAttributesAsync(handle));
        await Histories.KeepAsync(handle, "completion-bank-failed");
    }
}
