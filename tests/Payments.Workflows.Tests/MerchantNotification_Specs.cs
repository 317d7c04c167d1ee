using Payments.Activities.Notifications;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Client;

namespace Payments.Workflows.Tests;

/// <summary>The merchant is notified on the escalating schedule until it acknowledges, an operator stops it, or the schedule runs out.</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class MerchantNotification_Specs(WorkflowEnvironmentFixture fixture)
{
    private static readonly TimeSpan[] DefaultSchedule = [.. NotificationOptions.ParseSchedule(NotificationOptions.DefaultSchedule)];
    private readonly PaymentsWorld _world = fixture.World;

    [Fact]
    public async Task Notify_MerchantFailsFourTimes_DeliveredByTheFifthAttemptOnSchedule()
    {
        var payment = await _world.NewPaymentAsync(merchantAnswers: attempt => attempt <= 4 ? (503, "busy") : (200, " SUCCESS\n"));

        await (await _world.StartCompletionAsync(payment)).GetResultAsync();
        var notification = _world.Notification(payment);
        var state = await _world.NotificationResultAsync(payment);

        Assert.Equal(NotificationState.Delivered, state);
        var status = await notification.QueryAsync(wf => wf.Status);
        Assert.Equal([1, 2, 3, 4, 5], status.Attempts.Select(a => a.Number));
        Assert.Equal(
            [NotificationOutcome.HttpError, NotificationOutcome.HttpError, NotificationOutcome.HttpError, NotificationOutcome.HttpError, NotificationOutcome.Delivered],
            status.Attempts.Select(a => a.Outcome));
        AssertSpacedBy(DefaultSchedule[1..5], status.Attempts);
        Assert.Null(status.NextAttemptAt);
        var stored = await _world.NotificationViewAsync(payment);
        Assert.Equal((NotificationState.Delivered, 5, (DateTimeOffset?)null), (stored.Status, stored.Attempts.Count, stored.NextAttemptAt));
        var received = _world.ReceivedBy(payment);
        Assert.Equal(5, received.Count);
        Assert.Equal(Identifiers.NotifyId(payment.PaymentId), received.Select(r => r.NotifyId).Distinct().Single());
        await Histories.KeepAsync(notification, "notification-delivered-fifth-attempt");
    }

    [Fact]
    public async Task Notify_MerchantNeverAcknowledges_GivesUpAfterTheWholeSchedule()
    {
        var payment = await _world.NewPaymentAsync(merchantAnswers: _ => (200, "received"));

        await (await _world.StartCompletionAsync(payment)).GetResultAsync();
        var notification = _world.Notification(payment);
        var state = await _world.NotificationResultAsync(payment);

        Assert.Equal(NotificationState.GaveUp, state);
        var status = await notification.QueryAsync(wf => wf.Status);
        Assert.Equal(DefaultSchedule.Length, status.Attempts.Count);
        Assert.All(status.Attempts, attempt => Assert.Equal(NotificationOutcome.UnexpectedBody, attempt.Outcome));
        AssertSpacedBy(DefaultSchedule[1..], status.Attempts);
        var stored = await _world.NotificationViewAsync(payment);
        Assert.Equal((NotificationState.GaveUp, DefaultSchedule.Length, (DateTimeOffset?)null), (stored.Status, stored.Attempts.Count, stored.NextAttemptAt));
        Assert.Equal(NotificationState.GaveUp, (await _world.ViewAsync(payment)).Notification);
        await Histories.KeepAsync(notification, "notification-gave-up");
    }

    [Fact]
    public async Task RetryNow_WhileWaitingForTheNextSlot_AttemptsAtOnceAndKeepsTheSchedule()
    {
        var payment = await _world.NewPaymentAsync(merchantAnswers: _ => (500, "down"));
        await _world.StartCompletionAsync(payment);
        var notification = _world.Notification(payment);
        var waiting = await Eventually.ReturnsAsync(
            () => notification.QueryAsync(wf => wf.Status), status => status.Attempts.Count == 1 && status.NextAttemptAt is not null, "the first attempt");
        Assert.Equal(NotificationState.Pending, waiting.Status);
        Assert.Equal(waiting.Attempts[0].At + DefaultSchedule[1], waiting.NextAttemptAt);
        Assert.Equal(Timestamps.ToMicroseconds(waiting.NextAttemptAt!.Value), (await _world.NotificationViewAsync(payment)).NextAttemptAt);

        await notification.SignalAsync(wf => wf.RetryNowAsync());
        var retried = await Eventually.ReturnsAsync(
            () => notification.QueryAsync(wf => wf.Status), status => status.Attempts.Count == 2, "the extra attempt");

        Assert.Equal((NotificationState.Pending, waiting.NextAttemptAt), (retried.Status, retried.NextAttemptAt));
        Assert.True(retried.Attempts[1].At < waiting.NextAttemptAt);
        Assert.Equal(2, _world.ReceivedBy(payment).Count);
        await notification.SignalAsync(wf => wf.AcknowledgeAsync());
        Assert.Equal(NotificationState.Acknowledged, await _world.NotificationResultAsync(payment));
        await Histories.KeepAsync(notification, "notification-retry-now-then-acknowledged");
    }

    [Fact]
    public async Task Acknowledge_WhilePending_StopsNotifyingAsAcknowledged()
    {
        var payment = await _world.NewPaymentAsync(merchantAnswers: _ => (500, "down"));
        await _world.StartCompletionAsync(payment);
        var notification = _world.Notification(payment);
        await Eventually.ReturnsAsync(
            () => notification.QueryAsync(wf => wf.Status), status => status.Attempts.Count == 1 && status.NextAttemptAt is not null, "the first attempt");

        await notification.SignalAsync(wf => wf.AcknowledgeAsync());
        var state = await _world.NotificationResultAsync(payment);

        Assert.Equal(NotificationState.Acknowledged, state);
        var stored = await _world.NotificationViewAsync(payment);
        Assert.Equal((NotificationState.Acknowledged, 1, (DateTimeOffset?)null), (stored.Status, stored.Attempts.Count, stored.NextAttemptAt));
        Assert.Single(_world.ReceivedBy(payment));
        Assert.Equal(NotificationState.Acknowledged, (await _world.ViewAsync(payment)).Notification);
    }

    [Fact]
    public async Task Notify_ScheduleLongerThanOneRun_ContinuesAsNewCarryingItsAttempts()
    {
        var payment = await _world.NewPaymentAsync(merchantAnswers: _ => (500, "down"));
        var facts = new NotificationFacts(
            payment.PaymentId, payment.MerchantId, payment.MerchantOrderNo, _world.ReceivedByUrl(payment), payment.Amount, "CNY", PaymentStatus.Paid, null);
        var settings = new NotificationSettings([TimeSpan.Zero, .. Enumerable.Repeat(TimeSpan.FromMinutes(1), 4)], AttemptsPerRun: 2);

        var handle = await _world.Client.StartWorkflowAsync(
            (MerchantNotificationWorkflow wf) => wf.RunAsync(new MerchantNotificationInput(facts, settings)),
            new WorkflowOptions(Identifiers.NotificationWorkflowId(payment.PaymentId), PaymentsTemporal.TaskQueue));
        var state = await handle.GetResultAsync();

        Assert.Equal(NotificationState.GaveUp, state);
        var lastRun = _world.Client.GetWorkflowHandle<MerchantNotificationWorkflow>(handle.Id);
        Assert.NotEqual(handle.ResultRunId, (await lastRun.DescribeAsync()).RunId);
        var status = await lastRun.QueryAsync(wf => wf.Status);
        Assert.Equal([1, 2, 3, 4, 5], status.Attempts.Select(a => a.Number));
        Assert.Equal(Identifiers.NotifyId(payment.PaymentId), status.NotifyId);
        Assert.Equal(5, _world.ReceivedBy(payment).Count);
        await Histories.KeepAsync(handle, "notification-continued-as-new-first-run");
    }

    /// <summary>Each attempt starts its slot's delay after the previous one, on the workflow's (virtual) clock.</summary>
    private static void AssertSpacedBy(IReadOnlyList<TimeSpan> delays, IReadOnlyList<NotificationAttemptRecord> attempts)
    {
        var gaps = attempts.Zip(attempts.Skip(1), (previous, next) => next.At - previous.At).ToArray();
        Assert.Equal(delays.Count, gaps.Length);
        foreach (var (delay, gap) in delays.Zip(gaps))
        {
            Assert.InRange(gap, delay, delay + TimeSpan.FromSeconds(5));
        }
    }
}
