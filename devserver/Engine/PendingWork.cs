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

    public DateTime ScheduleToCloseDeadline =>
        Attributes.ScheduleToCloseTimeout is { } timeout && timeout.ToTimeSpan() > TimeSpan.Zero
            ? ScheduledTime + timeout.ToTimeSpan()
            : DateTime.MaxValue;

    public void Start(DateTime now, string identity, string requestId)
    {
        IsStarted = true;
        StartedTime = now;
        StartedIdentity = identity;
        StartRequestId = requestId;
    }
}

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
