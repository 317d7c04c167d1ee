using System.Linq.Expressions;
using System.Text.Json;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Workflows.Tests.Lifecycle;

/// <summary>
/// The completion makes the first notification attempt itself: delivered, no notification workflow exists; failed, it
/// hands over to <c>notify-{paymentId}</c>; a <c>retry</c> or <c>ack</c> sent to the completion meanwhile is kept or
/// passed on (activities replaced).
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class FirstNotificationAttempt_Specs(WorkflowEnvironmentFixture fixture)
{
    [Fact]
    public async Task Paid_FirstAttemptDelivers_NoNotificationWorkflowAndTheAttemptScheduledWithTheVoucher()
    {
        var fakes = NewPayment();
        using var worker = fakes.Worker(fixture.Client);

        var (result, status) = await fakes.RunAsync(worker, fixture.Client, async () =>
            (await PayAsync(fakes), await CompletionOf(fakes).QueryAsync(wf => wf.Status)));

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal([1], fakes.NotificationAttempts);
        Assert.Equal([NotificationState.Delivered], fakes.NotificationRecords.Select(r => r.Status));
        Assert.Equal(NotificationState.Delivered, status.Notification);
        await AssertNoNotificationWorkflowAsync(fakes);
        var history = await fakes.Completion(fixture.Client).FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.StartChildWorkflowExecutionInitiated);
        // One workflow task schedules both (the task count itself varies with load: a task heartbeated while its local steps run counts twice).
        var scheduled = history.Events
            .Where(e => e.EventType == EventType.ActivityTaskScheduled)
            .Select(e => e.ActivityTaskScheduledEventAttributes)
            .Where(activity => activity.ActivityType.Name is "PostPaymentVoucher" or "AttemptNotification")
            .ToList();
        Assert.Equal(["AttemptNotification", "PostPaymentVoucher"], scheduled.Select(activity => activity.ActivityType.Name).Order());
        Assert.Single(scheduled.Select(activity => activity.WorkflowTaskCompletedEventId).Distinct());
    }

    [Fact]
    public async Task Paid_SettingsReadWithTheLoad_EightLocalStepsAndNoneForTheSettings()
    {
        var fakes = NewPayment();
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, () => PayAsync(fakes));

        Assert.Equal(PaymentStatus.Paid, result.Status);
        var history = await fakes.Completion(fixture.Client).FetchHistoryAsync();
        var localSteps = history.Events
            .Where(historyEvent => historyEvent.EventType == EventType.MarkerRecorded && historyEvent.MarkerRecordedEventAttributes.MarkerName == "core_local_activity")
            .Select(marker => JsonDocument.Parse(marker.MarkerRecordedEventAttributes.Details["data"].Payloads_[0].Data.ToStringUtf8()).RootElement.GetProperty("activity_type").GetString())
            .ToList();
        // The tries and the confirms run two at a time, so only the first and the last two are in a fixed place.
        Assert.Equal(["LoadCompletionStart", "TakeBankResult"], localSteps.Take(2));
        Assert.Equal(["ConfirmAward", "ConfirmCredit", "TryAward", "TryCredit"], localSteps.Skip(2).Take(4).Order());
        Assert.Equal(["MoveStatus", "RecordProgress"], localSteps.Skip(6));
    }

    [Fact]
    public async Task Acknowledge_WhileTheFirstAttemptRuns_FailedAttemptEndsAcknowledgedWithoutANotificationWorkflow()
    {
        var fakes = NewPayment();
        fakes.FailedNotificationAttempts = 1;
        fakes.HoldFirstAttempt = true;
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var paid = PayAsync(fakes);
            await fakes.HeldAttemptReached.Task;
            await SignalTakenAsync(fakes, wf => wf.NotificationAcknowledgeAsync());
            fakes.ReleaseHeldAttempt();
            return await paid;
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal([1], fakes.NotificationAttempts);
        Assert.Equal([NotificationState.Acknowledged], fakes.NotificationRecords.Select(r => r.Status));
        await AssertNoNotificationWorkflowAsync(fakes);
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-acknowledged-during-first-attempt");
    }

    [Fact]
    public async Task RetryNow_WhileTheFirstAttemptRuns_NotificationWorkflowAttemptsAgainAtOnce()
    {
        var fakes = NewPayment();
        fakes.FailedNotificationAttempts = 1;
        fakes.HoldFirstAttempt = true;
        fakes.NotificationSchedule = [TimeSpan.Zero, TimeSpan.FromHours(1)];
        using var worker = fakes.Worker(fixture.Client);

        var (result, notified, status) = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var paid = PayAsync(fakes);
            await fakes.HeldAttemptReached.Task;
            await SignalTakenAsync(fakes, wf => wf.NotificationRetryNowAsync());
            fakes.ReleaseHeldAttempt();
            // The completion ends once it has handed over: notify-{id} exists by then.
            var completed = await paid;
            return (completed, await NotificationOf(fakes).GetResultAsync(), await NotificationOf(fakes).QueryAsync(wf => wf.Status));
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal(NotificationState.Delivered, notified);
        Assert.Equal([1, 2], fakes.NotificationAttempts);
        Assert.Equal([NotificationState.Pending, NotificationState.Delivered], fakes.NotificationRecords.Select(r => r.Status));
        Assert.Equal([NotificationOutcome.HttpError, NotificationOutcome.Delivered], status.Attempts.Select(a => a.Outcome));
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-retry-now-during-first-attempt");
        await Histories.KeepAsync(NotificationOf(fakes), "notification-retry-now-carried-from-the-completion");
    }

    [Fact]
    public async Task Acknowledge_AfterTheHandover_PassedOnToTheNotificationWorkflow()
    {
        var fakes = NewPayment();
        fakes.FailedNotificationAttempts = 1;
        fakes.HoldVoucher = true;
        fakes.NotificationSchedule = [TimeSpan.Zero, TimeSpan.FromHours(1)];
        using var worker = fakes.Worker(fixture.Client);

        var result = await fakes.RunAsync(worker, fixture.Client, async () =>
        {
            var paid = PayAsync(fakes);
            await Eventually.ReturnsAsync(() => NotificationOf(fakes).DescribeAsync(), _ => true, "the notification workflow");
            await CompletionOf(fakes).SignalAsync(wf => wf.NotificationAcknowledgeAsync());
            Assert.Equal(NotificationState.Acknowledged, await NotificationOf(fakes).GetResultAsync());
            fakes.ReleaseHeldVoucher();
            return await paid;
        });

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal([1], fakes.NotificationAttempts);
        Assert.Equal([NotificationState.Pending, NotificationState.Acknowledged], fakes.NotificationRecords.Select(r => r.Status));
        await Histories.KeepAsync(fakes.Completion(fixture.Client), "completion-acknowledge-passed-on");
    }

    private static FakeParticipants NewPayment() => new($"pay_fake_{Guid.NewGuid():N}", DateTimeOffset.UtcNow);

    private async Task<PaymentCompletionResult> PayAsync(FakeParticipants fakes)
    {
        var handle = await fakes.StartAsync(fixture.Client);
        await handle.SignalAsync(wf => wf.BankResultAsync(new BankResultSignal("B-1", BankResult.Success, 10_000, "CNY", null)));
        return await handle.GetResultAsync();
    }

    /// <summary>Signals the completion and waits until a workflow task has taken the signal: it is handled before the held attempt ends.</summary>
    private async Task SignalTakenAsync(FakeParticipants fakes, Expression<Func<PaymentCompletionWorkflow, Task>> signal)
    {
        await CompletionOf(fakes).SignalAsync(signal);
        await Eventually.ReturnsAsync(
            async () => (await CompletionOf(fakes).FetchHistoryAsync()).Events.ToList(),
            events => events.Skip(events.FindLastIndex(e => e.EventType == EventType.WorkflowExecutionSignaled)).Any(e => e.EventType == EventType.WorkflowTaskCompleted),
            "the signal taken by a workflow task");
    }

    private WorkflowHandle<PaymentCompletionWorkflow> CompletionOf(FakeParticipants fakes) =>
        fixture.Client.GetWorkflowHandle<PaymentCompletionWorkflow>(Identifiers.CompletionWorkflowId(fakes.PaymentId));

    private WorkflowHandle<MerchantNotificationWorkflow, NotificationState> NotificationOf(FakeParticipants fakes) =>
        fixture.Client.GetWorkflowHandle<MerchantNotificationWorkflow, NotificationState>(Identifiers.NotificationWorkflowId(fakes.PaymentId));

    private async Task AssertNoNotificationWorkflowAsync(FakeParticipants fakes)
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => NotificationOf(fakes).DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, missing.Code);
    }
}
