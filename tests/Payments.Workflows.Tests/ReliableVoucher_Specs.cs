using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.Workflows.Tests;

/// <summary>Once a payment is PAID its voucher is posted exactly once, however long the ledger is down.</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class ReliableVoucher_Specs(WorkflowEnvironmentFixture fixture)
{
    private readonly PaymentsWorld _world = fixture.World;

    [Fact]
    public async Task PostVoucher_LedgerDownForAnHour_PostsExactlyOneVoucherOnceItIsBack()
    {
        var payment = await _world.NewPaymentAsync();
        var ledgerDown = await Faults.RefuseInsertsAsync(fixture.ConnectionString, "accounting.vouchers");

        var handle = await _world.StartCompletionAsync(payment);
        var posting = await Eventually.ReturnsAsync(
            () => handle.QueryAsync(wf => wf.Status), status => status.Notification != NotificationState.None, "the notification to start after the pivot");
        Assert.Equal(
            (PaymentStatus.Paid, PaymentStep.PostingVoucher, AccountingState.Pending),
            (posting.Status, posting.Step, posting.Accounting));

        await fixture.Environment.DelayAsync(TimeSpan.FromHours(1));
        var description = await fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = fixture.Client.Options.Namespace,
            Execution = new WorkflowExecution { WorkflowId = handle.Id },
        });
        Assert.Equal(WorkflowExecutionStatus.Running, description.WorkflowExecutionInfo.Status);
        var retrying = Assert.Single(description.PendingActivities);
        Assert.Equal("PostPaymentVoucher", retrying.ActivityType.Name);
        Assert.True(retrying.Attempt > 1, "the voucher was not retried");
        Assert.Empty(await _world.VouchersAsync(payment));
        // The merchant is notified while the ledger is down: the first attempt runs beside the voucher.
        Assert.Equal(NotificationState.Delivered, (await _world.NotificationViewAsync(payment)).Status);

        await ledgerDown.DisposeAsync();
        var result = await handle.GetResultAsync();

        Assert.Equal(PaymentStatus.Paid, result.Status);
        var voucher = Assert.Single(await _world.VouchersAsync(payment));
        Assert.Equal(result.VoucherId, voucher.VoucherId);
        Assert.Equal(voucher.Lines.Sum(line => line.Debit), voucher.Lines.Sum(line => line.Credit));
        Assert.Equal(AccountingState.Posted, (await _world.ViewAsync(payment)).Accounting);
        await Histories.KeepAsync(handle, "completion-ledger-down-an-hour");
    }
}
