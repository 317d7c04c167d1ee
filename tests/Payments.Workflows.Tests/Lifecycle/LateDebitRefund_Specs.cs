using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Client;

namespace Payments.Workflows.Tests.Lifecycle;

/// <summary>
/// A debit after the close goes back to the shopper with no operator: the late-debit voucher is posted only once the
/// bank accepted the refund, before the bank exception reads REFUNDED; a refused refund posts nothing (activities replaced).
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class LateDebitRefund_Specs(WorkflowEnvironmentFixture fixture)
{
    private const string LateTxn = "B-late";

    [Fact]
    public async Task LateDebit_BankAcceptsTheRefund_VoucherPostedThenMarkedRefunded()
    {
        var fakes = new FakeParticipants($"pay_fake_{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        using var worker = fakes.Worker(fixture.Client);

        var status = await fakes.RunAsync(worker, fixture.Client, () => RefundAsync(fakes));

        Assert.Equal(LateDebitRefundStatus.Refunded, status);
        Assert.Equal(
            [
                $"refund {Identifiers.LateDebitRefundId(LateTxn)}",
                $"voucher {Identifiers.LateDebitVoucherId(fakes.PaymentId, LateTxn)} u_fake 10000",
                $"end {LateTxn} {LateDebitRefundStatus.Refunded}",
            ],
            fakes.LateDebitEffects);
    }

    [Fact]
    public async Task LateDebit_BankRefusesTheRefund_NoVoucherAndMarkedRefused()
    {
        var fakes = new FakeParticipants($"pay_fake_{Guid.NewGuid():N}", DateTimeOffset.UtcNow);
        fakes.RefuseNextRefund("HTTP 422: refund window closed");
        using var worker = fakes.Worker(fixture.Client);

        var status = await fakes.RunAsync(worker, fixture.Client, () => RefundAsync(fakes));

        Assert.Equal(LateDebitRefundStatus.RefundRefused, status);
        Assert.Equal([$"end {LateTxn} {LateDebitRefundStatus.RefundRefused}"], fakes.LateDebitEffects);
    }

    private async Task<LateDebitRefundStatus> RefundAsync(FakeParticipants fakes)
    {
        var input = new LateDebitRefundInput(fakes.PaymentId, LateTxn, 10_000, "CNY");
        return await fixture.Client.ExecuteWorkflowAsync(
            (LateDebitRefundWorkflow wf) => wf.RunAsync(input), new WorkflowOptions(Identifiers.LateDebitWorkflowId(fakes.PaymentId, LateTxn), fakes.TaskQueue));
    }
}
