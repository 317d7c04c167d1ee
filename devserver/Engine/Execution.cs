using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// One workflow run: its history (the source of truth) and the state derived from it by <see cref="Apply"/>, which a
/// stored history rebuilds. What drives the run on the clock lives apart, in <see cref="Armed"/>.
/// Only the engine mutates it, always under the chain's lock.
/// </summary>
internal sealed class Execution(WorkflowChain chain, string runId, EngineClock clock)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextPlaceholderId = -1;

    public WorkflowChain Chain { get; } = chain;

    public NamespaceState Namespace => Chain.Namespace;

    public string WorkflowId => Chain.WorkflowId;

    public string RunId { get; } = runId;

    public List<HistoryEvent> History { get; } = [];

    /// <summary>Events that arrived while a workflow task was in flight; they join the history when it ends.</summary>
    public List<HistoryEvent> Buffered { get; } = [];

    public int PersistedEventCount { get; set; }

    public WorkflowExecutionStartedEventAttributes Started => History[0].WorkflowExecutionStartedEventAttributes;

    public WorkflowExecutionStatus Status { get; private set; } = WorkflowExecutionStatus.Running;

    public bool IsRunning => Status == WorkflowExecutionStatus.Running;

    public DateTime StartTime { get; private set; }

    public DateTime? CloseTime { get; private set; }

    public Memo Memo { get; private set; } = new();

    public SearchAttributes SearchAttributes { get; private set; } = new();

    public WorkflowTaskInfo? WorkflowTask { get; private set; }

    /// <summary>The started event id of the last completed workflow task (0 before the first).</summary>
    public long PreviousStartedEventId { get; private set; }

    /// <summary>The attempt the next scheduled workflow task gets (failures and timeouts raise it).</summary>
    public int NextWorkflowTaskAttempt { get; private set; } = 1;

    public string? StickyQueue { get; set; }

    public TimeSpan StickyScheduleToStart { get; set; } = TimeSpan.FromSeconds(10);

    public Dictionary<long, ActivityInfo> Activities { get; } = [];

    public Dictionary<string, TimerInfo> Timers { get; } = new(StringComparer.Ordinal);

    public Dictionary<long, ChildInfo> Children { get; } = [];

    /// <summary>Signal/cancel requests to other workflows, by initiated event id, not yet delivered.</summary>
    public Dictionary<long, HistoryEvent> ExternalRequests { get; } = [];

    public HashSet<string> SignalRequestIds { get; } = new(StringComparer.Ordinal);

    public bool CancelRequested { get; private set; }

    /// <summary>Workflow updates of this run by update id.</summary>
    public Dictionary<string, UpdateInfo> Updates { get; } = new(StringComparer.Ordinal);

    /// <summary>Queries that arrived while a workflow task was pending; they go out once it completes, so they see its effects.</summary>
    public List<QueryTask> ParkedQueries { get; } = [];

    /// <summary>The timers and clock holds that drive this run (not part of what its history rebuilds).</summary>
    public ArmedTimers Armed { get; } = new(clock);

    public HistoryEvent? CloseEvent => IsRunning ? null : History[^1];

    /// <summary>Completes at the next history change (long polls wait on it).</summary>
    public Task Changed => _changed.Task;

    public long NextEventId => History.Count + 1;

    /// <summary>Bytes of all events in the history (Temporal's history size).</summary>
    public long HistorySizeBytes { get; set; }

    public void NotifyChanged() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A temporary negative id for a buffered event; real ids are given when the buffer is flushed.</summary>
    public long NextPlaceholderId() => _nextPlaceholderId--;

    public DateTime ExecutionDeadline =>
        Started.WorkflowExecutionExpirationTime is { } expiry ? expiry.ToDateTime() : DateTime.MaxValue;

    /// <summary>Updates the mutable state for one event (used live and when rebuilding from a stored history).</summary>
    public void Apply(HistoryEvent historyEvent)
    {
        if (EventEndings.EndedActivity(historyEvent) is { } scheduledEventId)
        {
            Activities.Remove(scheduledEventId);
        }
        else if (EventEndings.EndedTimer(historyEvent) is { } timerId)
        {
            Timers.Remove(timerId);
        }
        switch (historyEvent.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionStartedEventAttributes:
                StartTime = historyEvent.EventTime.ToDateTime();
                Memo = historyEvent.WorkflowExecutionStartedEventAttributes.Memo?.Clone() ?? new Memo();
                SearchAttributes = historyEvent.WorkflowExecutionStartedEventAttributes.SearchAttributes?.Clone() ?? new SearchAttributes();
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskScheduledEventAttributes:
                WorkflowTask = TaskScheduledBy(historyEvent);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskStartedEventAttributes:
                WorkflowTask!.StartedEventId = historyEvent.EventId;
                WorkflowTask.StartedTime = historyEvent.EventTime.ToDateTime();
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskCompletedEventAttributes:
                PreviousStartedEventId = historyEvent.WorkflowTaskCompletedEventAttributes.StartedEventId;
                NextWorkflowTaskAttempt = 1;
                EndWorkflowTask();
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskFailedEventAttributes:
            case HistoryEvent.AttributesOneofCase.WorkflowTaskTimedOutEventAttributes:
                var timedOutToStart = historyEvent.WorkflowTaskTimedOutEventAttributes?.TimeoutType == TimeoutType.ScheduleToStart;
                // A reset fails the task at its point, and a close refused for unseen events fails it to deliver them:
                // either way the next task is a first attempt, as in Temporal.
                var firstAttemptNext = historyEvent.WorkflowTaskFailedEventAttributes?.Cause is WorkflowTaskFailedCause.ResetWorkflow or WorkflowTaskFailedCause.UnhandledCommand;
                NextWorkflowTaskAttempt = firstAttemptNext ? 1 : timedOutToStart ? WorkflowTask!.Attempt : WorkflowTask!.Attempt + 1;
                StickyQueue = null;
                EndWorkflowTask();
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskScheduledEventAttributes:
                Activities[historyEvent.EventId] = new ActivityInfo(historyEvent.EventId, historyEvent.ActivityTaskScheduledEventAttributes, historyEvent.EventTime.ToDateTime());
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskCancelRequestedEventAttributes:
                if (Activities.TryGetValue(historyEvent.ActivityTaskCancelRequestedEventAttributes.ScheduledEventId, out var toCancel))
                {
                    toCancel.CancelRequested = true;
                }
                break;
            case HistoryEvent.AttributesOneofCase.TimerStartedEventAttributes:
                var timer = historyEvent.TimerStartedEventAttributes;
                Timers[timer.TimerId] = new TimerInfo(timer.TimerId, historyEvent.EventId, historyEvent.EventTime.ToDateTime() + timer.StartToFireTimeout.ToTimeSpan());
                break;
            case HistoryEvent.AttributesOneofCase.StartChildWorkflowExecutionInitiatedEventAttributes:
                Children[historyEvent.EventId] = new ChildInfo(historyEvent.EventId, historyEvent.StartChildWorkflowExecutionInitiatedEventAttributes);
                break;
            case HistoryEvent.AttributesOneofCase.StartChildWorkflowExecutionFailedEventAttributes:
                Children.Remove(historyEvent.StartChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionStartedEventAttributes:
                var childStarted = historyEvent.ChildWorkflowExecutionStartedEventAttributes;
                if (Children.TryGetValue(childStarted.InitiatedEventId, out var child))
                {
                    child.RunId = childStarted.WorkflowExecution.RunId;
                    child.StartedEventId = historyEvent.EventId;
                }
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes:
                Children.Remove(historyEvent.ChildWorkflowExecutionCompletedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes:
                Children.Remove(historyEvent.ChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes:
                Children.Remove(historyEvent.ChildWorkflowExecutionCanceledEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTerminatedEventAttributes:
                Children.Remove(historyEvent.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes:
                Children.Remove(historyEvent.ChildWorkflowExecutionTimedOutEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.SignalExternalWorkflowExecutionInitiatedEventAttributes:
            case HistoryEvent.AttributesOneofCase.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes:
                ExternalRequests[historyEvent.EventId] = historyEvent;
                break;
            case HistoryEvent.AttributesOneofCase.ExternalWorkflowExecutionSignaledEventAttributes:
                ExternalRequests.Remove(historyEvent.ExternalWorkflowExecutionSignaledEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.SignalExternalWorkflowExecutionFailedEventAttributes:
                ExternalRequests.Remove(historyEvent.SignalExternalWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ExternalWorkflowExecutionCancelRequestedEventAttributes:
                ExternalRequests.Remove(historyEvent.ExternalWorkflowExecutionCancelRequestedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.RequestCancelExternalWorkflowExecutionFailedEventAttributes:
                ExternalRequests.Remove(historyEvent.RequestCancelExternalWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionSignaledEventAttributes:
                if (!string.IsNullOrEmpty(historyEvent.WorkflowExecutionSignaledEventAttributes.RequestId))
                {
                    SignalRequestIds.Add(historyEvent.WorkflowExecutionSignaledEventAttributes.RequestId);
                }
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCancelRequestedEventAttributes:
                CancelRequested = true;
                break;
            case HistoryEvent.AttributesOneofCase.UpsertWorkflowSearchAttributesEventAttributes:
                MergeSearchAttributes(historyEvent.UpsertWorkflowSearchAttributesEventAttributes.SearchAttributes);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowPropertiesModifiedEventAttributes:
                MergeMemo(historyEvent.WorkflowPropertiesModifiedEventAttributes.UpsertedMemo);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionUpdateAdmittedEventAttributes:
                var admitted = historyEvent.WorkflowExecutionUpdateAdmittedEventAttributes.Request;
                Updates[admitted.Meta.UpdateId] = new UpdateInfo(admitted.Meta.UpdateId, admitted, admittedInHistory: true);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionUpdateAcceptedEventAttributes:
                var accepted = historyEvent.WorkflowExecutionUpdateAcceptedEventAttributes;
                if (!Updates.TryGetValue(accepted.ProtocolInstanceId, out var acceptedUpdate))
                {
                    acceptedUpdate = new UpdateInfo(accepted.ProtocolInstanceId, accepted.AcceptedRequest);
                    Updates[acceptedUpdate.Id] = acceptedUpdate;
                }
                acceptedUpdate.Accept(historyEvent.EventId);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionUpdateCompletedEventAttributes:
                var completedUpdate = historyEvent.WorkflowExecutionUpdateCompletedEventAttributes;
                if (Updates.TryGetValue(completedUpdate.Meta.UpdateId, out var known))
                {
                    known.Complete(completedUpdate.Outcome);
                }
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                Close(historyEvent, WorkflowExecutionStatus.Completed);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes:
                Close(historyEvent, WorkflowExecutionStatus.Failed);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCanceledEventAttributes:
                Close(historyEvent, WorkflowExecutionStatus.Canceled);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTerminatedEventAttributes:
                Close(historyEvent, WorkflowExecutionStatus.Terminated);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes:
                Close(historyEvent, WorkflowExecutionStatus.TimedOut);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionContinuedAsNewEventAttributes:
                Close(historyEvent, WorkflowExecutionStatus.ContinuedAsNew);
                break;
        }
    }

    /// <summary>Replaces a buffered event's placeholder ids by real ones (the events it refers to were buffered too).</summary>
    public void ResolvePlaceholders(HistoryEvent historyEvent, IReadOnlyDictionary<long, long> realIds)
    {
        long Resolve(long eventId) => eventId < 0 && realIds.TryGetValue(eventId, out var real) ? real : eventId;
        switch (historyEvent.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.ActivityTaskCompletedEventAttributes:
                historyEvent.ActivityTaskCompletedEventAttributes.StartedEventId = Resolve(historyEvent.ActivityTaskCompletedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskFailedEventAttributes:
                historyEvent.ActivityTaskFailedEventAttributes.StartedEventId = Resolve(historyEvent.ActivityTaskFailedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskTimedOutEventAttributes:
                historyEvent.ActivityTaskTimedOutEventAttributes.StartedEventId = Resolve(historyEvent.ActivityTaskTimedOutEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskCanceledEventAttributes:
                historyEvent.ActivityTaskCanceledEventAttributes.StartedEventId = Resolve(historyEvent.ActivityTaskCanceledEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes:
                historyEvent.ChildWorkflowExecutionCompletedEventAttributes.StartedEventId = Resolve(historyEvent.ChildWorkflowExecutionCompletedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes:
                historyEvent.ChildWorkflowExecutionFailedEventAttributes.StartedEventId = Resolve(historyEvent.ChildWorkflowExecutionFailedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes:
                historyEvent.ChildWorkflowExecutionCanceledEventAttributes.StartedEventId = Resolve(historyEvent.ChildWorkflowExecutionCanceledEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTerminatedEventAttributes:
                historyEvent.ChildWorkflowExecutionTerminatedEventAttributes.StartedEventId = Resolve(historyEvent.ChildWorkflowExecutionTerminatedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes:
                historyEvent.ChildWorkflowExecutionTimedOutEventAttributes.StartedEventId = Resolve(historyEvent.ChildWorkflowExecutionTimedOutEventAttributes.StartedEventId);
                break;
        }
        foreach (var child in Children.Values)
        {
            child.StartedEventId = Resolve(child.StartedEventId);
        }
    }

    private void MergeSearchAttributes(SearchAttributes? upserted)
    {
        foreach (var (name, value) in upserted?.IndexedFields ?? [])
        {
            // An empty payload removes the attribute, as in Temporal.
            if (value.Data.IsEmpty || value.Data.ToStringUtf8() is "null" or "[]")
            {
                SearchAttributes.IndexedFields.Remove(name);
            }
            else
            {
                SearchAttributes.IndexedFields[name] = value;
            }
        }
    }

    private void MergeMemo(Memo? upserted)
    {
        foreach (var (name, value) in upserted?.Fields ?? [])
        {
            if (value.Data.IsEmpty || value.Data.ToStringUtf8() == "null")
            {
                Memo.Fields.Remove(name);
            }
            else
            {
                Memo.Fields[name] = value;
            }
        }
    }

    private void EndWorkflowTask() => WorkflowTask = null;

    private static WorkflowTaskInfo TaskScheduledBy(HistoryEvent scheduledEvent)
    {
        var scheduled = scheduledEvent.WorkflowTaskScheduledEventAttributes;
        return new WorkflowTaskInfo(scheduledEvent.EventId, scheduled.Attempt, scheduled.TaskQueue.Name,
            scheduled.TaskQueue.Kind == TaskQueueKind.Sticky, scheduledEvent.EventTime.ToDateTime(), scheduled.StartToCloseTimeout.ToTimeSpan());
    }

    /// <summary>A speculative workflow task: pending like any other, its <paramref name="scheduledEvent"/> kept out of the history.</summary>
    public void BeginSpeculativeTask(HistoryEvent scheduledEvent)
    {
        WorkflowTask = TaskScheduledBy(scheduledEvent);
        WorkflowTask.Unwritten.Add(scheduledEvent);
    }

    /// <summary>A speculative task whose worker only rejected updates vanishes, as if it never was.</summary>
    public void DiscardSpeculativeTask() => EndWorkflowTask();

    private void Close(HistoryEvent closeEvent, WorkflowExecutionStatus status)
    {
        Status = status;
        CloseTime = closeEvent.EventTime.ToDateTime();
        EndWorkflowTask();
        Activities.Clear();
        Timers.Clear();
        foreach (var update in Updates.Values)
        {
            update.EndWithRun();
        }
    }
}
