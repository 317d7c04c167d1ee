using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.TaskQueue.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// One builder per history event kind. Each event gets the engine clock's time and the next task id (increasing like
/// Temporal's, starting where its first shard's range does); event ids are given when the event joins a history.
/// </summary>
internal sealed class HistoryEvents(EngineClock clock)
{
    private long _taskIds = 1_048_576;

    public HistoryEvent WorkflowExecutionStarted(WorkflowExecutionStartedEventAttributes attributes, UserMetadata? metadata) =>
        New(EventType.WorkflowExecutionStarted, historyEvent =>
        {
            historyEvent.UserMetadata = metadata;
            historyEvent.WorkflowExecutionStartedEventAttributes = attributes;
        });

    public HistoryEvent WorkflowExecutionCompleted(Payloads? result, long completedEventId) =>
        New(EventType.WorkflowExecutionCompleted, historyEvent => historyEvent.WorkflowExecutionCompletedEventAttributes =
            new WorkflowExecutionCompletedEventAttributes { Result = result, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent WorkflowExecutionFailed(Failure failure, RetryState retryState, long completedEventId) =>
        New(EventType.WorkflowExecutionFailed, historyEvent => historyEvent.WorkflowExecutionFailedEventAttributes =
            new WorkflowExecutionFailedEventAttributes { Failure = failure, RetryState = retryState, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent WorkflowExecutionCanceled(Payloads? details, long completedEventId) =>
        New(EventType.WorkflowExecutionCanceled, historyEvent => historyEvent.WorkflowExecutionCanceledEventAttributes =
            new WorkflowExecutionCanceledEventAttributes { Details = details, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent WorkflowExecutionTerminated(string reason, string identity, Payloads? details) =>
        New(EventType.WorkflowExecutionTerminated, historyEvent => historyEvent.WorkflowExecutionTerminatedEventAttributes =
            new WorkflowExecutionTerminatedEventAttributes { Reason = reason, Identity = identity, Details = details });

    public HistoryEvent WorkflowExecutionTimedOut(RetryState retryState) =>
        New(EventType.WorkflowExecutionTimedOut, historyEvent => historyEvent.WorkflowExecutionTimedOutEventAttributes =
            new WorkflowExecutionTimedOutEventAttributes { RetryState = retryState });

    public HistoryEvent WorkflowExecutionContinuedAsNew(WorkflowExecutionContinuedAsNewEventAttributes attributes) =>
        New(EventType.WorkflowExecutionContinuedAsNew, historyEvent => historyEvent.WorkflowExecutionContinuedAsNewEventAttributes = attributes);

    public HistoryEvent WorkflowExecutionCancelRequested(string cause, string identity, (long InitiatedEventId, WorkflowExecution Execution)? fromExternal)
    {
        var attributes = new WorkflowExecutionCancelRequestedEventAttributes { Cause = cause, Identity = identity };
        if (fromExternal is { } external)
        {
            attributes.ExternalInitiatedEventId = external.InitiatedEventId;
            attributes.ExternalWorkflowExecution = external.Execution;
        }
        return New(EventType.WorkflowExecutionCancelRequested, historyEvent => historyEvent.WorkflowExecutionCancelRequestedEventAttributes = attributes);
    }

    public HistoryEvent WorkflowExecutionSignaled(string signalName, Payloads? input, string identity, Header? header, string requestId, WorkflowExecution? external = null) =>
        New(EventType.WorkflowExecutionSignaled, historyEvent => historyEvent.WorkflowExecutionSignaledEventAttributes = new WorkflowExecutionSignaledEventAttributes
        {
            SignalName = signalName, Input = input, Identity = identity, Header = header, RequestId = requestId, ExternalWorkflowExecution = external,
        });

    public HistoryEvent WorkflowTaskScheduled(TaskQueue queue, Duration startToClose, int attempt) =>
        New(EventType.WorkflowTaskScheduled, historyEvent => historyEvent.WorkflowTaskScheduledEventAttributes =
            new WorkflowTaskScheduledEventAttributes { TaskQueue = queue, StartToCloseTimeout = startToClose, Attempt = attempt });

    public HistoryEvent WorkflowTaskStarted(long scheduledEventId, string identity, long historySizeBytes, bool suggestContinueAsNew) =>
        New(EventType.WorkflowTaskStarted, historyEvent => historyEvent.WorkflowTaskStartedEventAttributes = new WorkflowTaskStartedEventAttributes
        {
            ScheduledEventId = scheduledEventId,
            Identity = identity,
            RequestId = Guid.NewGuid().ToString(),
            HistorySizeBytes = historySizeBytes,
            SuggestContinueAsNew = suggestContinueAsNew,
        });

    public HistoryEvent WorkflowTaskCompleted(WorkflowTaskCompletedEventAttributes attributes) =>
        New(EventType.WorkflowTaskCompleted, historyEvent => historyEvent.WorkflowTaskCompletedEventAttributes = attributes);

    /// <summary>A failed workflow task; a reset's names the run it forked from and the run it made.</summary>
    public HistoryEvent WorkflowTaskFailed(WorkflowTaskInfo task, WorkflowTaskFailedCause cause, Failure? failure, string identity, string baseRunId = "", string newRunId = "") =>
        New(EventType.WorkflowTaskFailed, historyEvent => historyEvent.WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
        {
            ScheduledEventId = task.ScheduledEventId, StartedEventId = task.StartedEventId, Cause = cause, Failure = failure, Identity = identity,
            BaseRunId = baseRunId, NewRunId = newRunId,
        });

    public HistoryEvent WorkflowTaskTimedOut(WorkflowTaskInfo task, TimeoutType timeoutType) =>
        New(EventType.WorkflowTaskTimedOut, historyEvent => historyEvent.WorkflowTaskTimedOutEventAttributes = new WorkflowTaskTimedOutEventAttributes
        {
            ScheduledEventId = task.ScheduledEventId, StartedEventId = task.StartedEventId, TimeoutType = timeoutType,
        });

    public HistoryEvent TimerStarted(string timerId, Duration startToFire, long completedEventId, UserMetadata? metadata) =>
        New(EventType.TimerStarted, historyEvent =>
        {
            historyEvent.UserMetadata = metadata;
            historyEvent.TimerStartedEventAttributes = new TimerStartedEventAttributes { TimerId = timerId, StartToFireTimeout = startToFire, WorkflowTaskCompletedEventId = completedEventId };
        });

    public HistoryEvent TimerFired(TimerInfo timer) =>
        New(EventType.TimerFired, historyEvent => historyEvent.TimerFiredEventAttributes =
            new TimerFiredEventAttributes { TimerId = timer.TimerId, StartedEventId = timer.StartedEventId });

    public HistoryEvent TimerCanceled(TimerInfo timer, long completedEventId) =>
        New(EventType.TimerCanceled, historyEvent => historyEvent.TimerCanceledEventAttributes =
            new TimerCanceledEventAttributes { TimerId = timer.TimerId, StartedEventId = timer.StartedEventId, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent MarkerRecorded(MarkerRecordedEventAttributes attributes) =>
        New(EventType.MarkerRecorded, historyEvent => historyEvent.MarkerRecordedEventAttributes = attributes);

    public HistoryEvent UpsertWorkflowSearchAttributes(SearchAttributes searchAttributes, long completedEventId) =>
        New(EventType.UpsertWorkflowSearchAttributes, historyEvent => historyEvent.UpsertWorkflowSearchAttributesEventAttributes =
            new UpsertWorkflowSearchAttributesEventAttributes { SearchAttributes = searchAttributes, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent WorkflowPropertiesModified(Memo upsertedMemo, long completedEventId) =>
        New(EventType.WorkflowPropertiesModified, historyEvent => historyEvent.WorkflowPropertiesModifiedEventAttributes =
            new WorkflowPropertiesModifiedEventAttributes { UpsertedMemo = upsertedMemo, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent ActivityTaskScheduled(ActivityTaskScheduledEventAttributes attributes, UserMetadata? metadata) =>
        New(EventType.ActivityTaskScheduled, historyEvent =>
        {
            historyEvent.UserMetadata = metadata;
            historyEvent.ActivityTaskScheduledEventAttributes = attributes;
        });

    /// <summary>Temporal writes ActivityTaskStarted only when the attempt ends, with the time the attempt started.</summary>
    public HistoryEvent ActivityTaskStarted(ActivityInfo activity) =>
        New(EventType.ActivityTaskStarted, historyEvent =>
        {
            historyEvent.EventTime = Timestamp.FromDateTime(activity.StartedTime ?? clock.UtcNow);
            historyEvent.ActivityTaskStartedEventAttributes = new ActivityTaskStartedEventAttributes
            {
                ScheduledEventId = activity.ScheduledEventId,
                Identity = activity.StartedIdentity,
                RequestId = activity.StartRequestId,
                Attempt = activity.Attempt,
                LastFailure = activity.LastFailure,
            };
        });

    public HistoryEvent ActivityTaskCompleted(ActivityTaskCompletedEventAttributes attributes) =>
        New(EventType.ActivityTaskCompleted, historyEvent => historyEvent.ActivityTaskCompletedEventAttributes = attributes);

    public HistoryEvent ActivityTaskFailed(ActivityTaskFailedEventAttributes attributes) =>
        New(EventType.ActivityTaskFailed, historyEvent => historyEvent.ActivityTaskFailedEventAttributes = attributes);

    public HistoryEvent ActivityTaskTimedOut(ActivityTaskTimedOutEventAttributes attributes) =>
        New(EventType.ActivityTaskTimedOut, historyEvent => historyEvent.ActivityTaskTimedOutEventAttributes = attributes);

    public HistoryEvent ActivityTaskCancelRequested(long scheduledEventId, long completedEventId) =>
        New(EventType.ActivityTaskCancelRequested, historyEvent => historyEvent.ActivityTaskCancelRequestedEventAttributes =
            new ActivityTaskCancelRequestedEventAttributes { ScheduledEventId = scheduledEventId, WorkflowTaskCompletedEventId = completedEventId });

    public HistoryEvent ActivityTaskCanceled(ActivityTaskCanceledEventAttributes attributes) =>
        New(EventType.ActivityTaskCanceled, historyEvent => historyEvent.ActivityTaskCanceledEventAttributes = attributes);

    public HistoryEvent StartChildWorkflowExecutionInitiated(StartChildWorkflowExecutionInitiatedEventAttributes attributes, UserMetadata? metadata) =>
        New(EventType.StartChildWorkflowExecutionInitiated, historyEvent =>
        {
            historyEvent.UserMetadata = metadata;
            historyEvent.StartChildWorkflowExecutionInitiatedEventAttributes = attributes;
        });

    public HistoryEvent ChildWorkflowExecutionStarted(ChildWorkflowExecutionStartedEventAttributes attributes) =>
        New(EventType.ChildWorkflowExecutionStarted, historyEvent => historyEvent.ChildWorkflowExecutionStartedEventAttributes = attributes);

    public HistoryEvent StartChildWorkflowExecutionFailed(StartChildWorkflowExecutionFailedEventAttributes attributes) =>
        New(EventType.StartChildWorkflowExecutionFailed, historyEvent => historyEvent.StartChildWorkflowExecutionFailedEventAttributes = attributes);

    public HistoryEvent ChildWorkflowExecutionCompleted(ChildWorkflowExecutionCompletedEventAttributes attributes) =>
        New(EventType.ChildWorkflowExecutionCompleted, historyEvent => historyEvent.ChildWorkflowExecutionCompletedEventAttributes = attributes);

    public HistoryEvent ChildWorkflowExecutionFailed(ChildWorkflowExecutionFailedEventAttributes attributes) =>
        New(EventType.ChildWorkflowExecutionFailed, historyEvent => historyEvent.ChildWorkflowExecutionFailedEventAttributes = attributes);

    public HistoryEvent ChildWorkflowExecutionCanceled(ChildWorkflowExecutionCanceledEventAttributes attributes) =>
        New(EventType.ChildWorkflowExecutionCanceled, historyEvent => historyEvent.ChildWorkflowExecutionCanceledEventAttributes = attributes);

    public HistoryEvent ChildWorkflowExecutionTimedOut(ChildWorkflowExecutionTimedOutEventAttributes attributes) =>
        New(EventType.ChildWorkflowExecutionTimedOut, historyEvent => historyEvent.ChildWorkflowExecutionTimedOutEventAttributes = attributes);

    public HistoryEvent ChildWorkflowExecutionTerminated(ChildWorkflowExecutionTerminatedEventAttributes attributes) =>
        New(EventType.ChildWorkflowExecutionTerminated, historyEvent => historyEvent.ChildWorkflowExecutionTerminatedEventAttributes = attributes);

    public HistoryEvent SignalExternalWorkflowExecutionInitiated(SignalExternalWorkflowExecutionInitiatedEventAttributes attributes, UserMetadata? metadata) =>
        New(EventType.SignalExternalWorkflowExecutionInitiated, historyEvent =>
        {
            historyEvent.UserMetadata = metadata;
            historyEvent.SignalExternalWorkflowExecutionInitiatedEventAttributes = attributes;
        });

    public HistoryEvent RequestCancelExternalWorkflowExecutionInitiated(RequestCancelExternalWorkflowExecutionInitiatedEventAttributes attributes, UserMetadata? metadata) =>
        New(EventType.RequestCancelExternalWorkflowExecutionInitiated, historyEvent =>
        {
            historyEvent.UserMetadata = metadata;
            historyEvent.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes = attributes;
        });

    public HistoryEvent ExternalWorkflowExecutionSignaled(ExternalWorkflowExecutionSignaledEventAttributes attributes) =>
        New(EventType.ExternalWorkflowExecutionSignaled, historyEvent => historyEvent.ExternalWorkflowExecutionSignaledEventAttributes = attributes);

    public HistoryEvent SignalExternalWorkflowExecutionFailed(SignalExternalWorkflowExecutionFailedEventAttributes attributes) =>
        New(EventType.SignalExternalWorkflowExecutionFailed, historyEvent => historyEvent.SignalExternalWorkflowExecutionFailedEventAttributes = attributes);

    public HistoryEvent ExternalWorkflowExecutionCancelRequested(ExternalWorkflowExecutionCancelRequestedEventAttributes attributes) =>
        New(EventType.ExternalWorkflowExecutionCancelRequested, historyEvent => historyEvent.ExternalWorkflowExecutionCancelRequestedEventAttributes = attributes);

    public HistoryEvent RequestCancelExternalWorkflowExecutionFailed(RequestCancelExternalWorkflowExecutionFailedEventAttributes attributes) =>
        New(EventType.RequestCancelExternalWorkflowExecutionFailed, historyEvent => historyEvent.RequestCancelExternalWorkflowExecutionFailedEventAttributes = attributes);

    public HistoryEvent WorkflowExecutionUpdateAdmitted(Temporalio.Api.Update.V1.Request request, UpdateAdmittedEventOrigin origin) =>
        New(EventType.WorkflowExecutionUpdateAdmitted, historyEvent => historyEvent.WorkflowExecutionUpdateAdmittedEventAttributes =
            new WorkflowExecutionUpdateAdmittedEventAttributes { Request = request, Origin = origin });

    public HistoryEvent WorkflowExecutionUpdateAccepted(WorkflowExecutionUpdateAcceptedEventAttributes attributes) =>
        New(EventType.WorkflowExecutionUpdateAccepted, historyEvent => historyEvent.WorkflowExecutionUpdateAcceptedEventAttributes = attributes);

    public HistoryEvent WorkflowExecutionUpdateCompleted(WorkflowExecutionUpdateCompletedEventAttributes attributes) =>
        New(EventType.WorkflowExecutionUpdateCompleted, historyEvent => historyEvent.WorkflowExecutionUpdateCompletedEventAttributes = attributes);

    private HistoryEvent New(EventType eventType, Action<HistoryEvent> setAttributes)
    {
        var historyEvent = new HistoryEvent
        {
            EventType = eventType,
            EventTime = Timestamp.FromDateTime(clock.UtcNow),
            TaskId = Interlocked.Increment(ref _taskIds),
        };
        setAttributes(historyEvent);
        return historyEvent;
    }
}
