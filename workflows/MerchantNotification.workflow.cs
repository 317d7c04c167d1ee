using Microsoft.Extensions.Logging;
using Payments.Activities.Notifications;
using Payments.Domain;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>
/// <c>notify-{paymentId}</c>: best-effort notification on an escalating schedule — one attempt per slot, a durable
/// timer between slots that <c>retryNow</c> cuts short (an extra attempt, no slot used) and <c>acknowledge</c> ends.
/// Ends DELIVERED, ACKNOWLEDGED or GAVE_UP, recorded in the database; long schedules continue as new. Since the
/// completion's <c>first-notification-attempt</c> it starts only when the completion's first attempt did not deliver,
/// carrying that attempt as its progress.
/// </summary>
[Workflow("MerchantNotification")]
public sealed class MerchantNotificationWorkflow
{
    private const string LocalRecordsPatch = "notification-local-records";
    private const string AttemptRecordsDeliveryPatch = "attempt-records-delivery";
    private readonly List<NotificationAttemptRecord> _attempts = [];
    private bool _retryRequested;
    private bool _acknowledged;
    private bool _localRecords;
    private bool _attemptRecordsDelivery;

    [WorkflowInit]
    public MerchantNotificationWorkflow(MerchantNotificationInput input)
    {
        NotifyId = input.Progress?.NotifyId ?? Identifiers.NotifyId(input.Payment.PaymentId);
        _attempts.AddRange(input.Progress?.Attempts ?? []);
        _retryRequested = input.Progress?.RetryRequested ?? false;
    }

    private string NotifyId { get; }

    private NotificationState State { get; set; } = NotificationState.Pending;

    private DateTimeOffset? NextAttemptAt { get; set; }

    [WorkflowQuery("status")]
    public NotificationStatusView Status => new(State, NotifyId, _attempts.ToArray(), NextAttemptAt);

    [WorkflowRun]
    public async Task<NotificationState> RunAsync(MerchantNotificationInput input)
    {
        var payment = input.Payment;
        // Since this patch the settings and the outcome records (the notification's own table) are local activities.
        _localRecords = Workflow.Patched(LocalRecordsPatch);
        // Since this patch a delivered attempt records DELIVERED itself (one write fewer).
        _attemptRecordsDelivery = _localRecords && Workflow.Patched(AttemptRecordsDeliveryPatch);
        Workflow.UpsertTypedSearchAttributes(
            PaymentsTemporal.MerchantId.ValueSet(payment.MerchantId),
            PaymentsTemporal.PaymentStatus.ValueSet(WireName.Of(payment.Status)));
        var settings = input.Settings ?? await NotificationSteps.SettingsAsync(_localRecords);
        var nextSlot = input.Progress?.NextSlot ?? 0;
        var slotBase = input.Progress?.SlotBase ?? Workflow.UtcNow;
        var attemptsThisRun = 0;
        while (true)
        {
            if (_acknowledged)
            {
                return await FinishAsync(payment, NotificationState.Acknowledged);
            }
            NextAttemptAt = settings.SlotAt(nextSlot, slotBase);
            if (NextAttemptAt is null && !_retryRequested)
            {
                return await FinishAsync(payment, NotificationState.GaveUp);
            }
            var extra = await WaitForAttemptAsync();
            if (_acknowledged)
            {
                return await FinishAsync(payment, NotificationState.Acknowledged);
            }
            _retryRequested = false;
            if (!extra)
            {
                slotBase = Workflow.UtcNow;
                nextSlot++;
            }
            var attempt = await AttemptAsync(payment);
            if (attempt.Delivered)
            {
                return await FinishAsync(payment, NotificationState.Delivered);
            }
            NextAttemptAt = settings.SlotAt(nextSlot, slotBase);
            if (NextAttemptAt is not null)
            {
                await RecordAsync(payment);
            }
            if (++attemptsThisRun >= settings.AttemptsPerRun || Workflow.ContinueAsNewSuggested)
            {
                var next = input with
                {
                    Settings = settings,
                    Progress = new NotificationProgress(NotifyId, _attempts.ToArray(), nextSlot, slotBase, _retryRequested),
                };
                throw Workflow.CreateContinueAsNewException((MerchantNotificationWorkflow wf) => wf.RunAsync(next));
            }
        }
    }

    /// <summary>One extra attempt now; it does not use up a slot of the schedule.</summary>
    [WorkflowSignal("retryNow")]
    public Task RetryNowAsync()
    {
        _retryRequested = true;
        return Task.CompletedTask;
    }

    /// <summary>The merchant has the result (through the API or the Temporal UI): stop notifying.</summary>
    [WorkflowSignal("acknowledge")]
    public Task AcknowledgeAsync()
    {
        _acknowledged = true;
        return Task.CompletedTask;
    }

    /// <summary>Waits on a durable timer for the next slot; true for an extra attempt (<c>retryNow</c> came first, or after the last slot).</summary>
    private async Task<bool> WaitForAttemptAsync()
    {
        if (NextAttemptAt is not { } due)
        {
            return true;
        }
        var delay = due - Workflow.UtcNow;
        return delay > TimeSpan.Zero && await Workflow.WaitConditionAsync(() => _retryRequested || _acknowledged, delay);
    }

    private async Task<NotificationAttemptRecord> AttemptAsync(NotificationFacts payment)
    {
        var attempt = await NotificationSteps.AttemptAsync(payment, NotifyId, _attempts.Count + 1);
        _attempts.Add(attempt);
        return attempt;
    }

    private async Task<NotificationState> FinishAsync(NotificationFacts payment, NotificationState state)
    {
        State = state;
        NextAttemptAt = null;
        if (!(state == NotificationState.Delivered && _attemptRecordsDelivery))
        {
            await RecordAsync(payment);
        }
        Workflow.Logger.LogInformation("Payment {PaymentId}: notification {NotifyId} ended {State}", payment.PaymentId, NotifyId, state);
        return state;
    }

    private Task RecordAsync(NotificationFacts payment) =>
        NotificationSteps.RecordAsync(new NotificationStatusUpdate(payment.PaymentId, NotifyId, State, NextAttemptAt), _localRecords);
}
