using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>A queued attempt of a standalone activity; stale once that attempt ended.</summary>
internal sealed record StandaloneActivityTaskRef(StandaloneActivity Activity, int Attempt);

/// <summary>
/// One run of an activity started by a client (no workflow): what it was asked, its current attempt, its outcome once
/// closed, and the timers that drive it. Changed only under <see cref="StandaloneActivities"/>' gate.
/// </summary>
internal sealed class StandaloneActivity(string ns, StartActivityExecutionRequest request, RetryPolicy retryPolicy, DateTime scheduleTime, string? runId = null)
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Namespace { get; } = ns;

    public string RunId { get; } = runId ?? Guid.NewGuid().ToString();

    public StartActivityExecutionRequest Request { get; } = request;

    public RetryPolicy RetryPolicy { get; } = retryPolicy;

    public DateTime ScheduleTime { get; } = scheduleTime;

    public ActivityExecutionStatus Status { get; private set; } = ActivityExecutionStatus.Running;

    public bool IsRunning => Status == ActivityExecutionStatus.Running;

    public DateTime? CloseTime { get; private set; }

    public ActivityExecutionOutcome? Outcome { get; private set; }

    public int Attempt { get; set; } = 1;

    public DateTime AttemptScheduledTime { get; set; } = scheduleTime;

    public bool IsStarted { get; set; }

    public DateTime? StartedTime { get; set; }

    public string WorkerIdentity { get; set; } = "";

    public Payloads? HeartbeatDetails { get; set; }

    public DateTime? LastHeartbeatTime { get; set; }

    public long HeartbeatCount { get; set; }

    public Failure? LastFailure { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>An operator's pause: no attempt is queued while it stands; a running one finishes and waits for the unpause.</summary>
    public ActivityPause? Pause { get; set; }

    public bool IsPaused => Pause is not null;

    public string CancelReason { get; set; } = "";

    /// <summary>Rises with every change: describe's long-poll token.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>The schedule-to-start wait or retry backoff, then the start-to-close timeout, of the current attempt.</summary>
    public ScheduledTimer? AttemptTimer { get; set; }

    public ScheduledTimer? HeartbeatTimer { get; set; }

    public ScheduledTimer? ScheduleToCloseTimer { get; set; }

    public TimeSpan ScheduleToClose => Request.ScheduleToCloseTimeout.ToTimeSpanOrZero();

    public TimeSpan StartToClose => Request.StartToCloseTimeout.ToTimeSpanOrZero() is var startToClose && startToClose > TimeSpan.Zero ? startToClose : ScheduleToClose;

    public DateTime Deadline => ScheduleToClose > TimeSpan.Zero ? ScheduleTime + ScheduleToClose : DateTime.MaxValue;

    /// <summary>Completes at the next change (describe's and poll's long waits).</summary>
    public Task Changed => _changed.Task;

    public void NotifyChanged()
    {
        Version++;
        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public void Close(ActivityExecutionStatus status, ActivityExecutionOutcome outcome, DateTime now)
    {
        Status = status;
        Outcome = outcome;
        CloseTime = now;
        IsStarted = false;
        AttemptTimer?.Cancel();
        HeartbeatTimer?.Cancel();
        ScheduleToCloseTimer?.Cancel();
        NotifyChanged();
    }

    public ActivityExecutionInfo Info() => new()
    {
        ActivityId = Request.ActivityId,
        ActivityType = Request.ActivityType,
        Status = Status,
        RunState = !IsRunning ? PendingActivityState.Unspecified
            : CancelRequested ? PendingActivityState.CancelRequested
            : IsPaused ? IsStarted ? PendingActivityState.PauseRequested : PendingActivityState.Paused
            : IsStarted ? PendingActivityState.Started
            : PendingActivityState.Scheduled,
        ScheduleToCloseTimeout = Request.ScheduleToCloseTimeout,
        ScheduleToStartTimeout = Request.ScheduleToStartTimeout,
        StartToCloseTimeout = Duration.FromTimeSpan(StartToClose),
        HeartbeatTimeout = Request.HeartbeatTimeout,
        RetryPolicy = RetryPolicy,
        HeartbeatDetails = HeartbeatDetails,
        LastHeartbeatTime = LastHeartbeatTime is { } beat ? Timestamp.FromDateTime(beat) : null,
        LastStartedTime = StartedTime is { } started ? Timestamp.FromDateTime(started) : null,
        Attempt = Attempt,
        ScheduleTime = Timestamp.FromDateTime(ScheduleTime),
        ExpirationTime = Deadline == DateTime.MaxValue ? null : Timestamp.FromDateTime(Deadline),
        CloseTime = CloseTime is { } closed ? Timestamp.FromDateTime(closed) : null,
        ExecutionDuration = CloseTime is { } end ? Duration.FromTimeSpan(end - ScheduleTime) : null,
        LastFailure = LastFailure,
        Priority = Request.Priority,
        UserMetadata = Request.UserMetadata,
        CanceledReason = CancelReason,
        TotalHeartbeatCount = HeartbeatCount,
        StateTransitionCount = Version,
    };

    public ActivityExecutionListInfo ListInfo() => new()
    {
        ActivityId = Request.ActivityId,
        RunId = RunId,
        ActivityType = Request.ActivityType,
        ScheduleTime = Timestamp.FromDateTime(ScheduleTime),
        CloseTime = CloseTime is { } closed ? Timestamp.FromDateTime(closed) : null,
        Status = Status,
        SearchAttributes = Request.SearchAttributes,
        TaskQueue = Request.TaskQueue.Name,
        StateTransitionCount = Version,
        ExecutionDuration = CloseTime is { } end ? Duration.FromTimeSpan(end - ScheduleTime) : null,
    };

    /// <summary>The activity as a visibility record, so list and count reuse the workflow query language (ActivityId, ActivityType, ExecutionStatus, TaskQueue…).</summary>
    public WorkflowExecutionInfo VisibilityInfo() => new()
    {
        Execution = new WorkflowExecution { WorkflowId = Request.ActivityId, RunId = RunId },
        Type = new WorkflowType { Name = Request.ActivityType.Name },
        StartTime = Timestamp.FromDateTime(ScheduleTime),
        ExecutionTime = Timestamp.FromDateTime(ScheduleTime),
        CloseTime = CloseTime is { } closed ? Timestamp.FromDateTime(closed) : null,
        Status = Status switch
        {
            ActivityExecutionStatus.Completed => WorkflowExecutionStatus.Completed,
            ActivityExecutionStatus.Failed => WorkflowExecutionStatus.Failed,
            ActivityExecutionStatus.Canceled => WorkflowExecutionStatus.Canceled,
            ActivityExecutionStatus.Terminated => WorkflowExecutionStatus.Terminated,
            ActivityExecutionStatus.TimedOut => WorkflowExecutionStatus.TimedOut,
            _ => WorkflowExecutionStatus.Running,
        },
        TaskQueue = Request.TaskQueue.Name,
        SearchAttributes = Request.SearchAttributes?.Clone() ?? new SearchAttributes(),
    };
}
