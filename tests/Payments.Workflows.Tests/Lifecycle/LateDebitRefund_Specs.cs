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

        var status = await fakes.RunAsync(worker, fixture.Client, () => RefundAsync(fakes, "late-debit-refunded"));

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

        var status = await fakes.RunAsync(worker, fixture.Client, () => RefundAsync(fakes, "late-debit-refund-refused"));

        Assert.Equal(LateDebitRefundStatus.RefundRefused, status);
        Assert.Equal([$"end {LateTxn} {LateDebitRefundStatus.RefundRefused}"], fakes.LateDebitEffects);
    }

    /// <summary>Runs the refund to its end and keeps its history as <paramref name="scenario"/>.</summary>
    private async Task<LateDebitRefundStatus> RefundAsync(FakeParticipants fakes, string scenario)
    {
        var input = new LateDebitRefundInput(fakes.PaymentId, LateTxn, 10_000, "CNY");
        var handle = await fixture.Client.StartWorkflowAsync(
            (LateDebitRefundWorkflow wf) => wf.RunAsync(input), new WorkflowOptions(Identifiers.LateDebitWorkflowId(fakes.PaymentId, LateTxn), fakes.TaskQueue));
        var status = await handle.GetResultAsync();
        await Histories.KeepAsync(handle, scenario);
        return status;
    }
}
