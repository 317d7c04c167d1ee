using Payments.Activities.Bank;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Api.Enums.V1;

namespace Payments.Workflows.Tests.Lifecycle;

/// <summary>
/// From its creation the workflow waits for the bank's result: it asks the bank when the callback is late, closes an
/// order nobody paid only on the bank's definite "no record" at expiry, and the row decides every race (activities replaced).
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class BankResult_Specs(WorkflowEnvironmentFixture fixture)
{
    private static readonly TimeSpan[] Schedule = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    [Fact]
    public async Task LostCallback_BankConfirmsTheDebitOnTheSecondQuery_PaysAsACallbackWould()
    {
        var fakes = await NewPaymentAsync();
        fakes.Answers(new BankQueryAnswer(BankQueryKind.Error, Error: "HTTP 503"), fakes.Debited());
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () => await (await fakes.StartAsync(fixture.Client, Schedule)).GetResultAsync());

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal([fakes.CreatedAt.AddMinutes(1), fakes.CreatedAt.AddMinutes(5)], fakes.Queries.Select(Minute));
        Assert.Equal("B-queried", fakes.Recorded!.BankTxnId);
        Assert.Equal([PaymentStatus.Processing, PaymentStatus.Paid], fakes.Moves);
        Assert.Equal([PaymentStatus.Paid], fakes.Notified);
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-lost-callback-queried-paid");
    }

    [Fact]
    public async Task Unpaid_BankHasNoRecordAtExpiry_ClosesAndNotifiesClosed()
    {
        var fakes = await NewPaymentAsync();
        fakes.DefaultBankAnswer = new BankQueryAnswer(BankQueryKind.NoRecord);
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () => await (await fakes.StartAsync(fixture.Client, [.. Schedule, TimeSpan.FromMinutes(45)])).GetResultAsync());

        Assert.Equal(new PaymentCompletionResult(PaymentStatus.Closed, null), result);
        // The offset past expiry is dropped; the last query is the one at expiry.
        Assert.Equal([1, 5, 15, 30], fakes.Queries.Select(at => (int)Math.Round((at - fakes.CreatedAt).TotalMinutes)));
        Assert.Equal(PaymentStatus.Closed, fakes.Status);
        Assert.Equal([PaymentStatus.Closed], fakes.Notified);
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-expired-closed");
    }

    [Fact]
    public async Task Expired_BankAnswers401Or5xx_NeverClosesKeepsAskingAndACallbackStillPays()
    {
        var fakes = await NewPaymentAsync();
        fakes.Answers(new BankQueryAnswer(BankQueryKind.Error, Error: "HTTP 401"));
        fakes.DefaultBankAnswer = new BankQueryAnswer(BankQueryKind.Error, Error: "HTTP 500");
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await fakes.StartAsync(fixture.Client);
            await fixture.Environment.DelayAsync(TimeSpan.FromHours(3));
            Assert.Equal((PaymentStatus.Created, PaymentStep.WaitingForBank), (fakes.Status, (await handle.QueryAsync(wf => wf.Status)).Step));
            await handle.SignalAsync(wf => wf.BankResultAsync(new BankResultSignal("B-late", BankResult.Success, 10_000, "CNY", null)));
            return await handle.GetResultAsync();
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        // At expiry, then with backoff 1m, 2m, 4m… capped: several queries within three hours, none of which closed the order.
        Assert.InRange(fakes.Queries.Count, 5, 12);
        Assert.DoesNotContain(PaymentStatus.Closed, fakes.Moves);
    }

    [Fact]
    public async Task CallbackRacesTheClose_TheRowHoldsTheDebit_PaysAndNeverCloses()
    {
        var fakes = await NewPaymentAsync();
        fakes.DefaultBankAnswer = new BankQueryAnswer(BankQueryKind.NoRecord);
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await fakes.StartAsync(fixture.Client);
            // The callback's compare-and-set wins the row just before the close; its signal comes later, if ever.
            fakes.RecordBehindTheWorkflow(BankResult.Success);
            return await handle.GetResultAsync();
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal("B-race", fakes.Recorded!.BankTxnId);
        Assert.DoesNotContain(PaymentStatus.Closed, fakes.Notified);
    }

    [Fact]
    public async Task CallbackAndQuery_BothReport_OneResultTaken()
    {
        var fakes = await NewPaymentAsync();
        fakes.Answers(fakes.Debited("B-same"));
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await fakes.StartAsync(fixture.Client, Schedule);
            await handle.SignalAsync(wf => wf.BankResultAsync(new BankResultSignal("B-same", BankResult.Success, 10_000, "CNY", null)));
            await handle.SignalAsync(wf => wf.BankResultAsync(new BankResultSignal("B-other", BankResult.Failed, 10_000, "CNY", null)));
            return await handle.GetResultAsync();
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal(("B-same", BankResult.Success), (fakes.Recorded!.BankTxnId, fakes.Recorded.Result));
        Assert.Equal([PaymentStatus.Processing, PaymentStatus.Paid], fakes.Moves);
    }

    [Fact]
    public async Task BankFailed_CallbackRepeatedDuringTheClosingTask_TaskRetriedWithItAndTheRunEndsFailed()
    {
        var fakes = await NewPaymentAsync();
        fakes.HoldFirstMoveTo = PaymentStatus.Failed;
        using var worker = fakes.Worker(fixture.Client);
        var failed = new BankResultSignal("B-failed", BankResult.Failed, 10_000, "CNY", null);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var handle = await fakes.StartAsync(fixture.Client);
            await handle.SignalAsync(wf => wf.BankResultAsync(failed));
            // The FAILED move runs in the task that closes the run; the bank repeats its callback meanwhile.
            await fakes.HeldMoveReached.Task;
            await handle.SignalAsync(wf => wf.BankResultAsync(failed));
            fakes.ReleaseHeldMove();
            return await handle.GetResultAsync();
        });

        Assert.Equal(new PaymentCompletionResult(PaymentStatus.Failed, null), result);
        Assert.All(fakes.Moves, move => Assert.Equal(PaymentStatus.Failed, move));
        var history = await fakes.Completion(fixture.Client).FetchHistoryAsync();
        // The close was refused for the signal it had not seen; the next task saw it and moved the order again (idempotent).
        Assert.Contains(history.Events, e => e.WorkflowTaskFailedEventAttributes?.Cause == WorkflowTaskFailedCause.UnhandledCommand);
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.ActivityTaskScheduled);
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-bank-failed-callback-during-close");
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, at.Offset);

    private async Task<FakeParticipants> NewPaymentAsync()
    {
        var now = await fixture.Environment.GetCurrentTimeAsync();
        return new FakeParticipants($"pay_fake_{Guid.NewGuid():N}", new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero));
    }
}
