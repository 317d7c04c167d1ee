using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>All runs of one workflow id. Its monitor is the per-workflow lock every mutation of these runs takes.</summary>
internal sealed class WorkflowChain(NamespaceState ns, string workflowId)
{
    public NamespaceState Namespace { get; } = ns;

    public string WorkflowId { get; } = workflowId;

    public List<Execution> Runs { get; } = [];

    /// <summary>Request ids of accepted start calls, for deduplication, with the run each one started.</summary>
    public Dictionary<string, string> StartRequestIds { get; } = new(StringComparer.Ordinal);

    public Execution? Current => Runs.Count == 0 ? null : Runs[^1];

    public Execution? Find(string? runId) =>
        string.IsNullOrEmpty(runId) ? Current : Runs.Find(r => r.RunId == runId);
}

/// <summary>
/// One workflow run: its history (the source of truth) and the mutable state derived from it by <see cref="Apply"/>.
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

    public ScheduledTimer? RunTimeoutTimer { get; set; }

    public ScheduledTimer? StartBackoffTimer { get; set; }

    public HistoryEvent? CloseEvent => IsRunning ? null : History[^1];

    /// <summary>Completes at the next history change (long polls wait on it).</summary>
    public Task Changed => _changed.Task;

    public EngineClock Clock { get; } = clock;

    public long NextEventId => History.Count + 1;

    /// <summary>Bytes of all events in the history (Temporal's history size).</summary>
    public long HistorySizeBytes { get; set; }

    public void NotifyChanged() => Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>A temporary negative id for a buffered event; real ids are given when the buffer is flushed.</summary>
    public long NextPlaceholderId() => _nextPlaceholderId--;

    public DateTime ExecutionDeadline =>
        Started.WorkflowExecutionExpirationTime is { } expiry ? expiry.ToDateTime() : DateTime.MaxValue;

    /// <summary>Updates the mutable state for one event (used live and when rebuilding from a stored history).</summary>
    public void Apply(HistoryEvent e)
    {
        switch (e.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionStartedEventAttributes:
                StartTime = e.EventTime.ToDateTime();
                Memo = e.WorkflowExecutionStartedEventAttributes.Memo?.Clone() ?? new Memo();
                SearchAttributes = e.WorkflowExecutionStartedEventAttributes.SearchAttributes?.Clone() ?? new SearchAttributes();
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskScheduledEventAttributes:
                var scheduled = e.WorkflowTaskScheduledEventAttributes;
                WorkflowTask = new WorkflowTaskInfo(e.EventId, scheduled.Attempt, scheduled.TaskQueue.Name,
                    scheduled.TaskQueue.Kind == TaskQueueKind.Sticky, e.EventTime.ToDateTime(), scheduled.StartToCloseTimeout.ToTimeSpan());
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskStartedEventAttributes:
                WorkflowTask!.StartedEventId = e.EventId;
                WorkflowTask.StartedTime = e.EventTime.ToDateTime();
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskCompletedEventAttributes:
                PreviousStartedEventId = e.WorkflowTaskCompletedEventAttributes.StartedEventId;
                NextWorkflowTaskAttempt = 1;
                EndWorkflowTask();
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowTaskFailedEventAttributes:
            case HistoryEvent.AttributesOneofCase.WorkflowTaskTimedOutEventAttributes:
                var timedOutToStart = e.WorkflowTaskTimedOutEventAttributes?.TimeoutType == TimeoutType.ScheduleToStart;
                NextWorkflowTaskAttempt = timedOutToStart ? WorkflowTask!.Attempt : WorkflowTask!.Attempt + 1;
                StickyQueue = null;
                EndWorkflowTask();
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskScheduledEventAttributes:
                Activities[e.EventId] = new ActivityInfo(e.EventId, e.ActivityTaskScheduledEventAttributes, e.EventTime.ToDateTime());
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskCancelRequestedEventAttributes:
                if (Activities.TryGetValue(e.ActivityTaskCancelRequestedEventAttributes.ScheduledEventId, out var toCancel))
                {
                    toCancel.CancelRequested = true;
                }
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskCompletedEventAttributes:
                EndActivity(e.ActivityTaskCompletedEventAttributes.ScheduledEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskFailedEventAttributes:
                EndActivity(e.ActivityTaskFailedEventAttributes.ScheduledEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskTimedOutEventAttributes:
                EndActivity(e.ActivityTaskTimedOutEventAttributes.ScheduledEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskCanceledEventAttributes:
                EndActivity(e.ActivityTaskCanceledEventAttributes.ScheduledEventId);
                break;
            case HistoryEvent.AttributesOneofCase.TimerStartedEventAttributes:
                var timer = e.TimerStartedEventAttributes;
                Timers[timer.TimerId] = new TimerInfo(timer.TimerId, e.EventId, e.EventTime.ToDateTime() + timer.StartToFireTimeout.ToTimeSpan());
                break;
            case HistoryEvent.AttributesOneofCase.TimerFiredEventAttributes:
                EndTimer(e.TimerFiredEventAttributes.TimerId);
                break;
            case HistoryEvent.AttributesOneofCase.TimerCanceledEventAttributes:
                EndTimer(e.TimerCanceledEventAttributes.TimerId);
                break;
            case HistoryEvent.AttributesOneofCase.StartChildWorkflowExecutionInitiatedEventAttributes:
                Children[e.EventId] = new ChildInfo(e.EventId, e.StartChildWorkflowExecutionInitiatedEventAttributes);
                break;
            case HistoryEvent.AttributesOneofCase.StartChildWorkflowExecutionFailedEventAttributes:
                Children.Remove(e.StartChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionStartedEventAttributes:
                var childStarted = e.ChildWorkflowExecutionStartedEventAttributes;
                if (Children.TryGetValue(childStarted.InitiatedEventId, out var child))
                {
                    child.RunId = childStarted.WorkflowExecution.RunId;
                    child.StartedEventId = e.EventId;
                }
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes:
                Children.Remove(e.ChildWorkflowExecutionCompletedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes:
                Children.Remove(e.ChildWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes:
                Children.Remove(e.ChildWorkflowExecutionCanceledEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTerminatedEventAttributes:
                Children.Remove(e.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes:
                Children.Remove(e.ChildWorkflowExecutionTimedOutEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.SignalExternalWorkflowExecutionInitiatedEventAttributes:
            case HistoryEvent.AttributesOneofCase.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes:
                ExternalRequests[e.EventId] = e;
                break;
            case HistoryEvent.AttributesOneofCase.ExternalWorkflowExecutionSignaledEventAttributes:
                ExternalRequests.Remove(e.ExternalWorkflowExecutionSignaledEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.SignalExternalWorkflowExecutionFailedEventAttributes:
                ExternalRequests.Remove(e.SignalExternalWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ExternalWorkflowExecutionCancelRequestedEventAttributes:
                ExternalRequests.Remove(e.ExternalWorkflowExecutionCancelRequestedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.RequestCancelExternalWorkflowExecutionFailedEventAttributes:
                ExternalRequests.Remove(e.RequestCancelExternalWorkflowExecutionFailedEventAttributes.InitiatedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionSignaledEventAttributes:
                if (!string.IsNullOrEmpty(e.WorkflowExecutionSignaledEventAttributes.RequestId))
                {
                    SignalRequestIds.Add(e.WorkflowExecutionSignaledEventAttributes.RequestId);
                }
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCancelRequestedEventAttributes:
                CancelRequested = true;
                break;
            case HistoryEvent.AttributesOneofCase.UpsertWorkflowSearchAttributesEventAttributes:
                MergeSearchAttributes(e.UpsertWorkflowSearchAttributesEventAttributes.SearchAttributes);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowPropertiesModifiedEventAttributes:
                MergeMemo(e.WorkflowPropertiesModifiedEventAttributes.UpsertedMemo);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionUpdateAcceptedEventAttributes:
                var accepted = e.WorkflowExecutionUpdateAcceptedEventAttributes;
                if (!Updates.TryGetValue(accepted.ProtocolInstanceId, out var acceptedUpdate))
                {
                    acceptedUpdate = new UpdateInfo(accepted.ProtocolInstanceId, accepted.AcceptedRequest);
                    Updates[acceptedUpdate.Id] = acceptedUpdate;
                }
                acceptedUpdate.Accept(e.EventId);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionUpdateCompletedEventAttributes:
                var completedUpdate = e.WorkflowExecutionUpdateCompletedEventAttributes;
                if (Updates.TryGetValue(completedUpdate.Meta.UpdateId, out var known))
                {
                    known.Complete(completedUpdate.Outcome);
                }
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                Close(e, WorkflowExecutionStatus.Completed);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes:
                Close(e, WorkflowExecutionStatus.Failed);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCanceledEventAttributes:
                Close(e, WorkflowExecutionStatus.Canceled);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTerminatedEventAttributes:
                Close(e, WorkflowExecutionStatus.Terminated);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes:
                Close(e, WorkflowExecutionStatus.TimedOut);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionContinuedAsNewEventAttributes:
                Close(e, WorkflowExecutionStatus.ContinuedAsNew);
                break;
        }
    }

    /// <summary>Replaces a buffered event's placeholder ids by real ones (the events it refers to were buffered too).</summary>
    public void ResolvePlaceholders(HistoryEvent e, IReadOnlyDictionary<long, long> realIds)
    {
        long Resolve(long id) => id < 0 && realIds.TryGetValue(id, out var real) ? real : id;
        switch (e.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.ActivityTaskCompletedEventAttributes:
                e.ActivityTaskCompletedEventAttributes.StartedEventId = Resolve(e.ActivityTaskCompletedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskFailedEventAttributes:
                e.ActivityTaskFailedEventAttributes.StartedEventId = Resolve(e.ActivityTaskFailedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskTimedOutEventAttributes:
                e.ActivityTaskTimedOutEventAttributes.StartedEventId = Resolve(e.ActivityTaskTimedOutEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ActivityTaskCanceledEventAttributes:
                e.ActivityTaskCanceledEventAttributes.StartedEventId = Resolve(e.ActivityTaskCanceledEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes:
                e.ChildWorkflowExecutionCompletedEventAttributes.StartedEventId = Resolve(e.ChildWorkflowExecutionCompletedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes:
                e.ChildWorkflowExecutionFailedEventAttributes.StartedEventId = Resolve(e.ChildWorkflowExecutionFailedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes:
                e.ChildWorkflowExecutionCanceledEventAttributes.StartedEventId = Resolve(e.ChildWorkflowExecutionCanceledEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTerminatedEventAttributes:
                e.ChildWorkflowExecutionTerminatedEventAttributes.StartedEventId = Resolve(e.ChildWorkflowExecutionTerminatedEventAttributes.StartedEventId);
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes:
                e.ChildWorkflowExecutionTimedOutEventAttributes.StartedEventId = Resolve(e.ChildWorkflowExecutionTimedOutEventAttributes.StartedEventId);
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

    private void EndWorkflowTask()
    {
        WorkflowTask?.Release(Clock);
        WorkflowTask = null;
    }

    private void EndActivity(long scheduledEventId)
    {
        if (Activities.Remove(scheduledEventId, out var activity))
        {
            activity.EndAttempt(Clock);
            activity.ScheduleToCloseTimer?.Cancel();
        }
    }

    private void EndTimer(string timerId)
    {
        if (Timers.Remove(timerId, out var timer))
        {
            timer.Handle?.Cancel();
        }
    }

    private void Close(HistoryEvent e, WorkflowExecutionStatus status)
    {
        Status = status;
        CloseTime = e.EventTime.ToDateTime();
        EndWorkflowTask();
        foreach (var id in Activities.Keys.ToList())
        {
            EndActivity(id);
        }
        foreach (var id in Timers.Keys.ToList())
        {
            EndTimer(id);
        }
        RunTimeoutTimer?.Cancel();
        StartBackoffTimer?.Cancel();
        foreach (var update in Updates.Values)
        {
            update.Abandon();
        }
    }
}

/// <summary>The workflow task currently scheduled or started.</summary>
internal sealed class WorkflowTaskInfo(long scheduledEventId, int attempt, string queue, bool sticky, DateTime scheduledTime, TimeSpan startToClose)
{
    private bool _holdsClock;

    public long ScheduledEventId { get; } = scheduledEventId;

    public int Attempt { get; } = attempt;

    public string Queue { get; } = queue;

    public bool Sticky { get; } = sticky;

    public DateTime ScheduledTime { get; } = scheduledTime;

    public TimeSpan StartToClose { get; } = startToClose;

    public long StartedEventId { get; set; }

    public DateTime StartedTime { get; set; }

    public bool IsStarted => StartedEventId != 0;

    public ScheduledTimer? Timeout { get; set; }

    /// <summary>A scheduled or started workflow task keeps virtual time from skipping.</summary>
    public void Hold(EngineClock clock)
    {
        if (!_holdsClock)
        {
            _holdsClock = true;
            clock.Lock();
        }
    }

    public void Release(EngineClock clock)
    {
        Timeout?.Cancel();
        if (_holdsClock)
        {
            _holdsClock = false;
            clock.Unlock();
        }
    }
}

/// <summary>A scheduled activity: its command attributes and the progress of its current attempt.</summary>
internal sealed class ActivityInfo(long scheduledEventId, ActivityTaskScheduledEventAttributes attributes, DateTime scheduledTime)
{
    private bool _holdsClock;

    public long ScheduledEventId { get; } = scheduledEventId;

    public ActivityTaskScheduledEventAttributes Attributes { get; } = attributes;

    public DateTime ScheduledTime { get; } = scheduledTime;

    public int Attempt { get; set; } = 1;

    public DateTime AttemptScheduledTime { get; set; } = scheduledTime;

    public bool IsStarted { get; set; }

    public DateTime? StartedTime { get; set; }

    public string StartedIdentity { get; set; } = "";

    public string StartRequestId { get; set; } = "";

    public Payloads? HeartbeatDetails { get; set; }

    public DateTime? LastHeartbeatTime { get; set; }

    public Failure? LastFailure { get; set; }

    public bool CancelRequested { get; set; }

    public ScheduledTimer? ScheduleToCloseTimer { get; set; }

    /// <summary>The timers of the current attempt (retry backoff or schedule-to-start, then start-to-close and heartbeat).</summary>
    public ScheduledTimer? WaitTimer { get; set; }

    public ScheduledTimer? StartToCloseTimer { get; set; }

    public ScheduledTimer? HeartbeatTimer { get; set; }

    public DateTime ScheduleToCloseDeadline =>
        Attributes.ScheduleToCloseTimeout is { } timeout && timeout.ToTimeSpan() > TimeSpan.Zero
            ? ScheduledTime + timeout.ToTimeSpan()
            : DateTime.MaxValue;

    public void Start(EngineClock clock, string identity, string requestId)
    {
        IsStarted = true;
        StartedTime = clock.UtcNow;
        StartedIdentity = identity;
        StartRequestId = requestId;
        Hold(clock);
    }

    /// <summary>An attempt waiting in its task queue or running keeps virtual time from skipping (as Temporal's test server does).</summary>
    public void Hold(EngineClock clock)
    {
        if (!_holdsClock)
        {
            _holdsClock = true;
            clock.Lock();
        }
    }

    /// <summary>Ends the current attempt: its timers stop and it no longer holds virtual time.</summary>
    public void EndAttempt(EngineClock clock)
    {
        WaitTimer?.Cancel();
        StartToCloseTimer?.Cancel();
        HeartbeatTimer?.Cancel();
        IsStarted = false;
        if (_holdsClock)
        {
            _holdsClock = false;
            clock.Unlock();
        }
    }
}

internal sealed class TimerInfo(string timerId, long startedEventId, DateTime fireTime)
{
    public string TimerId { get; } = timerId;

    public long StartedEventId { get; } = startedEventId;

    public DateTime FireTime { get; } = fireTime;

    public ScheduledTimer? Handle { get; set; }
}

internal sealed class ChildInfo(long initiatedEventId, StartChildWorkflowExecutionInitiatedEventAttributes attributes)
{
    public long InitiatedEventId { get; } = initiatedEventId;

    public StartChildWorkflowExecutionInitiatedEventAttributes Attributes { get; } = attributes;

    public string? RunId { get; set; }

    public long StartedEventId { get; set; }
}

internal static class ProtoTime
{
    public static TimeSpan ToTimeSpanOrZero(this Duration? duration) => duration?.ToTimeSpan() ?? TimeSpan.Zero;
}
