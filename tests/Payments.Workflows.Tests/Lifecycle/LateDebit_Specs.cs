using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Client;

namespace Payments.Workflows.Tests.Lifecycle;

/// <summary>A debit the bank confirmed after the order was closed is returned with no operator (activities replaced).</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class LateDebit_Specs(WorkflowEnvironmentFixture fixture)
{
    [Fact]
    public async Task LateDebit_BankTakesTheRefund_EndsRefunded()
    {
        var fakes = new FakeParticipants($"pay_fake_{Guid.NewGuid():N}", await fixture.Environment.GetCurrentTimeAsync());
        using var worker = fakes.Worker(fixture.Client);
        var input = new LateDebitRefundInput(fakes.PaymentId, "B-late", 10_000, "CNY");

        var handle = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var started = await fixture.Client.StartWorkflowAsync(
                (LateDebitRefundWorkflow wf) => wf.RunAsync(input),
                new WorkflowOptions(Identifiers.LateDebitWorkflowId(fakes.PaymentId, "B-late"), fakes.TaskQueue));
            await started.GetResultAsync();
            return started;
        });

        Assert.Equal(LateDebitRefundStatus.Refunded, await handle.GetResultAsync());
        Assert.Equal([Identifiers.LateDebitRefundId("B-late")], fakes.Refunds);
        Assert.Equal(LateDebitRefundStatus.Refunded, Assert.Single(fakes.LateDebitEnds).Status);
        await Histories.KeepAsync(handle, "late-debit-refunded");
    }
}
