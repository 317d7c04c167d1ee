using Temporalio.Api.Command.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>The workflow's own timers: started and cancelled by commands, fired by the engine clock.</summary>
internal sealed class WorkflowTimers(TemporalEngine engine)
{
    public void Start(Execution run, Command command, long completedEventId, Mutation mutation)
    {
        var attributes = command.StartTimerCommandAttributes;
        HistoryWriter.Append(run, engine.Events.TimerStarted(attributes.TimerId, attributes.StartToFireTimeout, completedEventId, command.UserMetadata), mutation);
        Arm(run, run.Timers[attributes.TimerId]);
    }

    public void Cancel(Execution run, string timerId, long completedEventId, Mutation mutation)
    {
        if (run.Timers.TryGetValue(timerId, out var timer))
        {
            HistoryWriter.Append(run, engine.Events.TimerCanceled(timer, completedEventId), mutation);
            return;
        }
        // Fired while the task that cancels it ran: as Temporal does, the buffered firing gives way to the cancel, else the
        // history shows a firing after the worker's cancel and its replay (a restarted worker) fails on non-determinism.
        if (run.Buffered.Find(buffered => buffered.AttributesCase == HistoryEvent.AttributesOneofCase.TimerFiredEventAttributes
                && buffered.TimerFiredEventAttributes.TimerId == timerId) is { } fired)
        {
            run.Buffered.Remove(fired);
            var firedTimer = new TimerInfo(timerId, fired.TimerFiredEventAttributes.StartedEventId, fired.EventTime.ToDateTime());
            HistoryWriter.Append(run, engine.Events.TimerCanceled(firedTimer, completedEventId), mutation);
        }
    }

    /// <summary>Schedules the timer's firing on the clock (used live and on restore).</summary>
    public void Arm(Execution run, TimerInfo timer) =>
        run.Armed.SetUserTimer(timer.TimerId, engine.Clock.Schedule(timer.FireTime, () => engine.Mutate(run.Chain, mutation =>
        {
            if (run.IsRunning && run.Timers.TryGetValue(timer.TimerId, out var current) && current == timer)
            {
                engine.History.AddExternal(run, engine.Events.TimerFired(timer), mutation);
            }
        })));
}
