using Google.Protobuf;
using Payments.Activities.Orders;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace Payments.Workflows.Tests;

/// <summary>A refused TCC try compensates every branch, suspends the payment, and an operator's decision finishes it.</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class ManualResolution_Specs(WorkflowEnvironmentFixture fixture)
{
    private readonly PaymentsWorld _world = fixture.World;

    [Fact]
    public async Task Resolve_RetryAfterTheMerchantIsUnfrozen_PaysInASecondRound()
    {
        var payment = await _world.NewPaymentAsync();
        await _world.SetMerchantAsync(payment, PartyStatus.Frozen);

        var handle = await _world.StartCompletionAsync(payment);
        var suspended = await Eventually.ReturnsAsync(
            () => handle.QueryAsync(wf => wf.Status), status => status.Step == PaymentStep.WaitingForOperator, "the payment to wait for an operator");

        // Both tries run at once: the points branch, reserved while the fund try was refused, is cancelled too.
        Assert.Equal(
            (PaymentStatus.Suspended, 1, BranchState.Cancelled, BranchState.Cancelled, AccountingState.None),
            (suspended.Status, suspended.Round, suspended.FundAccount, suspended.PointsAccount, suspended.Accounting));
        Assert.Equal(0L, (await _world.PointsAccountAsync(payment)).PendingPoints);
        Assert.StartsWith("MerchantFrozen", suspended.LastError, StringComparison.Ordinal);
        var view = await _world.ViewAsync(payment);
        Assert.Equal((PaymentStatus.Suspended, PaymentStep.WaitingForOperator, BranchState.Cancelled), (view.Status, view.Step, view.FundAccount));
        Assert.Equal((payment.MerchantId, "SUSPENDED"), await _world.SearchAttributesAsync(handle));

        await _world.SetMerchantAsync(payment, PartyStatus.Active);
        // As the API does it: the resolve update, answered once the decision is recorded and the payment PROCESSING.
        await handle.ExecuteUpdateAsync(wf => wf.DecideAsync(new Resolution(ResolutionAction.Retry, "merchant unfrozen")));
        var decided = await _world.ViewAsync(payment);
        // The new round starts right after the decision's workflow task: the payment may be PAID already.
        Assert.Contains(decided.Status, new[] { PaymentStatus.Processing, PaymentStatus.Paid });
        Assert.Null(decided.LastError);
        Assert.Equal((ResolutionAction.Retry, ResolutionSource.Api), (Assert.Single(decided.Resolutions).Action, decided.Resolutions[0].Source));
        var result = await handle.GetResultAsync();

        Assert.Equal(PaymentStatus.Paid, result.Status);
        var status = await handle.QueryAsync(wf => wf.Status);
        Assert.Equal((2, BranchState.Confirmed, BranchState.Confirmed, (string?)null), (status.Round, status.FundAccount, status.PointsAccount, status.LastError));
        var account = await _world.FundAccountAsync(payment);
        Assert.Equal((payment.Amounts.NetAmount, 0L), (account.Balance, account.PendingCredit));
        Assert.Equal(100, (await _world.PointsAccountAsync(payment)).Points);
        Assert.Single(await _world.VouchersAsync(payment));
        Assert.Equal(NotificationState.Delivered, await _world.NotificationResultAsync(payment));
        await Histories.KeepAsync(handle, "completion-suspended-retry-paid");
    }

    [Fact]
    public async Task Resolve_RefundFromTheTemporalUi_RefundsPostsTheRefundVoucherAndNotifiesRefunded()
    {
        var payment = await _world.NewPaymentAsync();
        await _world.SetUserAsync(payment, PartyStatus.Frozen);

        var handle = await _world.StartCompletionAsync(payment);
        var suspended = await Eventually.ReturnsAsync(
            () => handle.QueryAsync(wf => wf.Status), status => status.Step == PaymentStep.WaitingForOperator, "the payment to wait for an operator");
        Assert.Equal((BranchState.Cancelled, BranchState.Cancelled), (suspended.FundAccount, suspended.PointsAccount));
        Assert.StartsWith("UserFrozen", suspended.LastError, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), ((await _world.FundAccountAsync(payment)).Balance, (await _world.FundAccountAsync(payment)).PendingCredit));

        // Straight to the workflow as the Temporal UI sends it (JSON typed by a person); the order is still SUSPENDED.
        await handle.SignalAsync("resolve", [TypedJson("{\"action\":\"REFUND\",\"reason\":\"user frozen for fraud review\"}")]);
        var result = await handle.GetResultAsync();

        Assert.Equal(PaymentStatus.Refunded, result.Status);
        Assert.Contains(Identifiers.RefundId(payment.PaymentId), _world.RefundIds);
        var voucher = Assert.Single(await _world.VouchersAsync(payment));
        Assert.Equal(result.VoucherId, voucher.VoucherId);
        Assert.Equal(0L, (await _world.FundAccountAsync(payment)).Balance);
        Assert.Equal(0L, (await _world.PointsAccountAsync(payment)).Points);
        var view = await _world.ViewAsync(payment);
        Assert.Equal((PaymentStatus.Refunded, PaymentStep.Done, AccountingState.Posted), (view.Status, view.Step, view.Accounting));
        Assert.Equal(NotificationState.Delivered, await _world.NotificationResultAsync(payment));
        Assert.Equal("REFUNDED", Assert.Single(_world.ReceivedBy(payment)).Status);
        Assert.Equal((payment.MerchantId, "REFUNDED"), await _world.SearchAttributesAsync(handle));
        await Histories.KeepAsync(handle, "completion-suspended-refund");
    }

    private static RawValue TypedJson(string json) => new(new Payload
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFromUtf8(json),
    });

    [Fact]
    public async Task Resolve_SecondDecision_IsIgnored()
    {
        var payment = await _world.NewPaymentAsync();
        await _world.SetMerchantAsync(payment, PartyStatus.Frozen);
        var handle = await _world.StartCompletionAsync(payment);
        await Eventually.ReturnsAsync(
            () => handle.QueryAsync(wf => wf.Status), status => status.Step == PaymentStep.WaitingForOperator, "the payment to wait for an operator");

        await handle.SignalAsync(wf => wf.ResolveAsync(new Resolution(ResolutionAction.Refund, "first")));
        await handle.SignalAsync(wf => wf.ResolveAsync(new Resolution(ResolutionAction.Retry, "second")));
        var result = await handle.GetResultAsync();

        Assert.Equal(PaymentStatus.Refunded, result.Status);
        Assert.Equal(1, (await handle.QueryAsync(wf => wf.Status)).Round);
        await Histories.KeepAsync(handle, "completion-second-resolve-ignored");
    }
}
