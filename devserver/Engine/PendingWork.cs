using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>The workflow task currently scheduled or started.</summary>
internal sealed class WorkflowTaskInfo(long scheduledEventId, int attempt, string queue, bool sticky, DateTime scheduledTime, TimeSpan startToClose)
{
    public long ScheduledEventId { get; } = scheduledEventId;

    public int Attempt { get; } = attempt;

    public string Queue { get; } = queue;

    public bool Sticky { get; } = sticky;

    public DateTime ScheduledTime { get; } = scheduledTime;

    public TimeSpan StartToClose { get; } = startToClose;

    public long StartedEventId { get; set; }

    public DateTime StartedTime { get; set; }

    public bool IsStarted => StartedEventId != 0;

    /// <summary>
    /// A speculative task's scheduled and started events, not yet in the history: Temporal writes them only when the
    /// task's outcome must be kept (see <see cref="HistoryWriter.KeepSpeculativeTask"/>). Empty for a normal task.
    /// </summary>
    public List<HistoryEvent> Unwritten { get; } = [];

    public bool IsSpeculative => Unwritten.Count > 0;
}

/// <summary>A scheduled activity: its command attributes and the progress of its current attempt.</summary>
internal sealed class ActivityInfo(long scheduledEventId, ActivityTaskScheduledEventAttributes attributes, DateTime scheduledTime)
{
    public long ScheduledEventId { get; } = scheduledEventId;

    /// <summary>The options in force: the scheduled event's, or a copy an operator changed (UpdateActivityOptions).</summary>
    public ActivityTaskScheduledEventAttributes Attributes { get; private set; } = attributes;

    /// <summary>The options as the workflow scheduled them (the history event's, never changed).</summary>
    public ActivityTaskScheduledEventAttributes Original { get; } = attributes;

    public bool OptionsChanged => !ReferenceEquals(Attributes, Original);

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

    /// <summary>Set while an operator keeps the activity from running (PauseActivity); no attempt is queued meanwhile.</summary>
    public ActivityPause? Pause { get; set; }

    public bool IsPaused => Pause is not null;

    /// <summary>An operator reset the activity while an attempt ran: heartbeats say so, and the next attempt is attempt 1.</summary>
    public bool ResetRequested { get; set; }

    /// <summary>The reset also drops the heartbeat details, once the running attempt ends.</summary>
    public bool ResetHeartbeatOnRetry { get; set; }

    public DateTime ScheduleToCloseDeadline =>
        Attributes.ScheduleToCloseTimeout is { } timeout && timeout.ToTimeSpan() > TimeSpan.Zero
            ? ScheduledTime + timeout.ToTimeSpan()
            : DateTime.MaxValue;

    /// <summary>Puts options changed by an operator in force (a copy: the history event keeps what the workflow asked).</summary>
    public void ChangeOptions(Action<ActivityTaskScheduledEventAttributes> change)
    {
        var changed = OptionsChanged ? Attributes : Original.Clone();
        change(changed);
        Attributes = changed;
    }

    public void RestoreOriginalOptions() => Attributes = Original;

    /// <summary>Options an operator changed before a restart of the durable mode.</summary>
    public void RestoreChangedOptions(ActivityTaskScheduledEventAttributes changed) => Attributes = changed;

    public void Start(DateTime now, string identity, string requestId)
    {
        IsStarted = true;
        StartedTime = now;
        StartedIdentity = identity;
        StartRequestId = requestId;
    }
}

/// <summary>Who paused an activity, when and why (describe shows it).</summary>
internal sealed record ActivityPause(DateTime Time, string Identity, string Reason, string RequestId);

internal sealed class TimerInfo(string timerId, long startedEventId, DateTime fireTime)
{
    public string TimerId { get; } = timerId;

    public long StartedEventId { get; } = startedEventId;

    public DateTime FireTime { get; } = fireTime;
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
