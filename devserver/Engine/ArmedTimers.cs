using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// The clock side of one run: the callbacks scheduled on the <see cref="EngineClock"/> that drive it, and the holds its
/// tasks keep on virtual time. Nothing here is rebuilt from a history: after a restore the engine arms it again from
/// the run's state. <see cref="Observe"/> stops what an event ended.
/// </summary>
internal sealed class ArmedTimers(EngineClock clock)
{
    private readonly Dictionary<string, ScheduledTimer> _userTimers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, ActivityTimers> _activities = [];
    private bool _workflowTaskHoldsClock;

    public ScheduledTimer? RunTimeout { get; set; }

    /// <summary>The wait before the next workflow task: a start delay, a continue-as-new or retry backoff, a failing task's backoff.</summary>
    public ScheduledTimer? WorkflowTaskDelay { get; set; }

    /// <summary>The schedule-to-start (sticky) or start-to-close timeout of the current workflow task.</summary>
    public ScheduledTimer? WorkflowTaskTimeout { get; set; }

    /// <summary>A scheduled or started workflow task keeps virtual time from skipping.</summary>
    public void HoldForWorkflowTask()
    {
        if (!_workflowTaskHoldsClock)
        {
            _workflowTaskHoldsClock = true;
            clock.Lock();
        }
    }

    public void SetUserTimer(string timerId, ScheduledTimer timer) => _userTimers[timerId] = timer;

    public ActivityTimers Activity(long scheduledEventId)
    {
        if (!_activities.TryGetValue(scheduledEventId, out var timers))
        {
            timers = new ActivityTimers(clock);
            _activities[scheduledEventId] = timers;
        }
        return timers;
    }

    /// <summary>Stops what <paramref name="historyEvent"/> ended, once the run's state has applied it.</summary>
    public void Observe(HistoryEvent historyEvent)
    {
        if (EventEndings.EndsWorkflowTask(historyEvent))
        {
            EndWorkflowTask();
        }
        else if (EventEndings.EndedActivity(historyEvent) is { } scheduledEventId)
        {
            EndActivity(scheduledEventId);
        }
        else if (EventEndings.EndedTimer(historyEvent) is { } timerId)
        {
            EndUserTimer(timerId);
        }
        else if (EventEndings.ClosesRun(historyEvent))
        {
            EndAll();
        }
    }

    /// <summary>The current workflow task ended (an event says so, or a speculative task vanished): its timeout stops, time may skip.</summary>
    public void EndWorkflowTask()
    {
        WorkflowTaskTimeout?.Cancel();
        if (_workflowTaskHoldsClock)
        {
            _workflowTaskHoldsClock = false;
            clock.Unlock();
        }
    }

    private void EndActivity(long scheduledEventId)
    {
        if (_activities.Remove(scheduledEventId, out var timers))
        {
            timers.EndAttempt();
            timers.ScheduleToClose?.Cancel();
        }
    }

    private void EndUserTimer(string timerId)
    {
        if (_userTimers.Remove(timerId, out var timer))
        {
            timer.Cancel();
        }
    }

    private void EndAll()
    {
        EndWorkflowTask();
        foreach (var scheduledEventId in _activities.Keys.ToList())
        {
            EndActivity(scheduledEventId);
        }
        foreach (var timerId in _userTimers.Keys.ToList())
        {
            EndUserTimer(timerId);
        }
        RunTimeout?.Cancel();
        WorkflowTaskDelay?.Cancel();
    }
}

/// <summary>The timers of one activity: its schedule-to-close deadline and those of its current attempt.</summary>
internal sealed class ActivityTimers(EngineClock clock)
{
    private bool _holdsClock;

    public ScheduledTimer? ScheduleToClose { get; set; }

    /// <summary>The retry backoff, then the schedule-to-start timeout of the current attempt.</summary>
    public ScheduledTimer? Wait { get; set; }

    public ScheduledTimer? StartToClose { get; set; }

    public ScheduledTimer? Heartbeat { get; set; }

    /// <summary>An attempt waiting in its task queue or running keeps virtual time from skipping (as Temporal's test server does).</summary>
    public void Hold()
    {
        if (!_holdsClock)
        {
            _holdsClock = true;
            clock.Lock();
        }
    }

    /// <summary>Ends the current attempt: its timers stop and it no longer holds virtual time.</summary>
    public void EndAttempt()
    {
        Wait?.Cancel();
        StartToClose?.Cancel();
        Heartbeat?.Cancel();
        if (_holdsClock)
        {
            _holdsClock = false;
            clock.Unlock();
        }
    }
}
