using Payments.Activities;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Workflows.Tests.Lifecycle;

/// <summary>
/// Every saga path that ends with an operator: the decision is a validated update, recorded before anything else, moving
/// the payment to PROCESSING; a refund the bank refuses returns it to SUSPENDED, to be decided again, as does a decision
/// that fails on the way (activities replaced).
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class Decision_Specs(WorkflowEnvironmentFixture fixture)
{
    [Fact]
    public async Task FrozenMerchant_RefundRefusedThenRefundAgain_SuspendedWithLastErrorThenRefunded()
    {
        var fakes = await SuspendedPaymentAsync(fund: ParticipantErrors.MerchantFrozen);
        fakes.RefuseNextRefund("HTTP 422 account closed");
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await StartSuspendedAsync(fakes);
            Assert.Equal(new Resolution(ResolutionAction.Refund, "first"), await DecideAsync(handle, ResolutionAction.Refund, "first", round: 1));
            await WaitForOperatorAsync(handle);
            Assert.Equal((PaymentStatus.Suspended, "RefundRejected: HTTP 422 account closed"), (fakes.Status, fakes.LastError));
            await DecideAsync(handle, ResolutionAction.Refund, "second", round: 2);
            return await handle.GetResultAsync();
        });

        Assert.Equal(PaymentStatus.Refunded, result.Status);
        Assert.Equal(
            [PaymentStatus.Processing, PaymentStatus.Suspended, PaymentStatus.Processing, PaymentStatus.Suspended, PaymentStatus.Processing, PaymentStatus.Refunded],
            fakes.Moves);
        Assert.Equal([(1, "first"), (2, "second")], fakes.Decisions.Select(d => (d.Number, d.Reason)));
        Assert.All(fakes.Decisions, d => Assert.Equal(ResolutionSource.Api, d.Source));
        Assert.Equal([Identifiers.RefundId(fakes.PaymentId)], fakes.Refunds);
        Assert.Equal([PaymentStatus.Refunded], fakes.Notified);
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-refund-refused-then-refunded");
    }

    [Fact]
    public async Task FrozenUser_RefundRefusedThenRetry_PaysInTheSecondRound()
    {
        var fakes = await SuspendedPaymentAsync(fund: ParticipantErrors.UserFrozen);
        fakes.RefuseNextRefund("HTTP 400");
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await StartSuspendedAsync(fakes);
            await DecideAsync(handle, ResolutionAction.Refund, "refund", round: 1);
            await WaitForOperatorAsync(handle);
            fakes.FundTryRefusal = null;
            await DecideAsync(handle, ResolutionAction.Retry, "unfrozen", round: 2);
            return await handle.GetResultAsync();
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Null(fakes.LastError);
    }

    [Fact]
    public async Task TryExhaustsItsRetries_CompensatesAndSuspends()
    {
        var fakes = await SuspendedPaymentAsync(fund: null);
        fakes.PointsTryBroken = true;
        using var worker = fakes.Worker(fixture.Client);

        var status = await fakes.RunAsync(worker, fixture.Client, async () => await WaitForOperatorAsync(await StartSuspendedAsync(fakes)));

        Assert.Equal((PaymentStatus.Suspended, BranchState.Cancelled, BranchState.Cancelled), (status.Status, status.FundAccount, status.PointsAccount));
        Assert.Contains("points account unreachable", status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateAndLateResolve_ExactlyOneDecisionTaken()
    {
        var fakes = await SuspendedPaymentAsync(fund: ParticipantErrors.MerchantFrozen);
        using var worker = fakes.Worker(fixture.Client);

        await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await StartSuspendedAsync(fakes);
            var decisions = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => TryDecideAsync(handle, $"decision {i}")));
            // The UI's signal after the decision is ignored, as is an update that comes too late.
            await handle.SignalAsync(wf => wf.ResolveAsync(new Resolution(ResolutionAction.Retry, "from the UI, too late")));
            var late = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => DecideAsync(handle, ResolutionAction.Retry, "late", round: 2));
            await handle.GetResultAsync();

            Assert.Single(decisions, accepted => accepted);
            Assert.Contains("does not wait for an operator", Assert.IsType<ApplicationFailureException>(late.InnerException).Message, StringComparison.Ordinal);
        });

        Assert.Single(fakes.Decisions);
        Assert.Equal(PaymentStatus.Refunded, fakes.Status);
    }

    [Fact]
    public async Task DecisionFailsOnTheWay_UpdateFailsAndTheNextDecisionIsTaken()
    {
        var fakes = await SuspendedPaymentAsync(fund: ParticipantErrors.UserFrozen);
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await StartSuspendedAsync(fakes);
            fakes.RefuseNextMoveTo(PaymentStatus.Processing);
            var failed = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(() => DecideAsync(handle, ResolutionAction.Refund, "first", round: 1));
            Assert.Contains("refused by the test", failed.InnerException?.Message, StringComparison.Ordinal);
            Assert.Equal(PaymentStatus.Suspended, (await WaitForOperatorAsync(handle)).Status);

            // Before, every later decision was refused: "it does not wait for an operator's decision".
            Assert.Equal(new Resolution(ResolutionAction.Refund, "second"), await DecideAsync(handle, ResolutionAction.Refund, "second", round: 2));
            return await handle.GetResultAsync();
        });

        Assert.Equal(PaymentStatus.Refunded, result.Status);
        Assert.Equal([(1, "first"), (2, "second")], fakes.Decisions.Select(d => (d.Number, d.Reason)));
        Assert.Equal([Identifiers.RefundId(fakes.PaymentId)], fakes.Refunds);
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-failed-decision-then-refunded");
    }

    private static Task<Resolution> DecideAsync(WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult> handle, ResolutionAction action, string reason, int round) =>
        handle.ExecuteUpdateAsync(wf => wf.DecideAsync(new Resolution(action, reason)), new WorkflowUpdateOptions($"resolve-{round}-{reason}"));

    /// <summary>Concurrent decisions with their own update ids (their reasons differ): only the validator decides.</summary>
    private static async Task<bool> TryDecideAsync(WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult> handle, string reason)
    {
        try
        {
            await DecideAsync(handle, ResolutionAction.Refund, reason, round: 1);
            return true;
        }
        catch (WorkflowUpdateFailedException)
        {
            return false;
        }
    }

    private static Task<PaymentCompletionStatus> WaitForOperatorAsync(WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult> handle) =>
        Eventually.ReturnsAsync(
            () => handle.QueryAsync(wf => wf.Status), status => status.Step == PaymentStep.WaitingForOperator, "the payment to wait for an operator");

    private async Task<WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult>> StartSuspendedAsync(FakeParticipants fakes)
    {
        var handle = await fakes.StartAsync(fixture.Client);
        await handle.SignalAsync(wf => wf.BankResultAsync(new BankResultSignal("B-1", BankResult.Success, 10_000, "CNY", null)));
        await WaitForOperatorAsync(handle);
        return handle;
    }

    private async Task<FakeParticipants> SuspendedPaymentAsync(string? fund)
    {
        var now = await fixture.Environment.GetCurrentTimeAsync();
        return new FakeParticipants($"pay_fake_{Guid.NewGuid():N}", now) { FundTryRefusal = fund };
    }
}
