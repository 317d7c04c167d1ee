using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// How events join a run: appended (the state applies them, the armed timers stop what they ended) or, while a
/// workflow task is in flight, buffered until it ends. Call under the chain's lock.
/// </summary>
internal sealed class HistoryWriter(TemporalEngine engine)
{
    /// <summary>Appends an event to the history and applies it to the run; answers its event id.</summary>
    public static long Append(Execution run, HistoryEvent historyEvent, Mutation mutation)
    {
        KeepSpeculativeTask(run, mutation);
        historyEvent.EventId = run.NextEventId;
        run.History.Add(historyEvent);
        run.HistorySizeBytes += historyEvent.CalculateSize();
        Apply(run, historyEvent);
        mutation.Touch(run);
        run.NotifyChanged();
        return historyEvent.EventId;
    }

    /// <summary>
    /// Adds an event that did not come from the workflow's own task (signal, activity result, timer…): buffered while a
    /// workflow task is in flight, otherwise appended; then a workflow task is scheduled if none is pending.
    /// Returns the event's id (a negative placeholder while buffered).
    /// </summary>
    public long AddExternal(Execution run, HistoryEvent historyEvent, Mutation mutation, bool scheduleTask = true)
    {
        KeepSpeculativeTask(run, mutation);
        long eventId;
        if (run.WorkflowTask is { IsStarted: true })
        {
            historyEvent.EventId = run.NextPlaceholderId();
            run.Buffered.Add(historyEvent);
            Apply(run, historyEvent);
            mutation.Touch(run);
            eventId = historyEvent.EventId;
        }
        else
        {
            eventId = Append(run, historyEvent, mutation);
        }
        if (scheduleTask && run.IsRunning && run.WorkflowTask is null && run.Armed.WorkflowTaskDelay is null)
        {
            engine.WorkflowTasks.Schedule(run, mutation);
        }
        return eventId;
    }

    /// <summary>Moves the events buffered during a workflow task into the history; true when there were any.</summary>
    public static bool FlushBuffered(Execution run, Mutation mutation)
    {
        if (run.Buffered.Count == 0)
        {
            return false;
        }
        var realIds = new Dictionary<long, long>();
        foreach (var buffered in run.Buffered)
        {
            realIds[buffered.EventId] = run.NextEventId;
            buffered.EventId = run.NextEventId;
            run.ResolvePlaceholders(buffered, realIds);
            run.History.Add(buffered);
            run.HistorySizeBytes += buffered.CalculateSize();
        }
        run.Buffered.Clear();
        mutation.Touch(run);
        run.NotifyChanged();
        return true;
    }

    /// <summary>
    /// Writes a pending speculative task's events, making it a normal task, as Temporal converts one as soon as anything
    /// else is written while it is pending (or its outcome must be kept). The run's state already reflects them, and their
    /// ids are the next ones because nothing was written since they were made.
    /// </summary>
    public static void KeepSpeculativeTask(Execution run, Mutation mutation)
    {
        if (run.WorkflowTask is not { IsSpeculative: true } task)
        {
            return;
        }
        foreach (var unwritten in task.Unwritten)
        {
            run.History.Add(unwritten);
            run.HistorySizeBytes += unwritten.CalculateSize();
        }
        task.Unwritten.Clear();
        mutation.Touch(run);
        run.NotifyChanged();
    }

    private static void Apply(Execution run, HistoryEvent historyEvent)
    {
        run.Apply(historyEvent);
        run.Armed.Observe(historyEvent);
    }
}
