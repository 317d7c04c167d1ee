using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>What an event ends: the run's state and its armed timers both follow these.</summary>
internal static class EventEndings
{
    /// <summary>The scheduled event id of the activity the event ends (completed, failed, timed out, cancelled).</summary>
    public static long? EndedActivity(HistoryEvent historyEvent) => historyEvent.AttributesCase switch
    {
        HistoryEvent.AttributesOneofCase.ActivityTaskCompletedEventAttributes => historyEvent.ActivityTaskCompletedEventAttributes.ScheduledEventId,
        HistoryEvent.AttributesOneofCase.ActivityTaskFailedEventAttributes => historyEvent.ActivityTaskFailedEventAttributes.ScheduledEventId,
        HistoryEvent.AttributesOneofCase.ActivityTaskTimedOutEventAttributes => historyEvent.ActivityTaskTimedOutEventAttributes.ScheduledEventId,
        HistoryEvent.AttributesOneofCase.ActivityTaskCanceledEventAttributes => historyEvent.ActivityTaskCanceledEventAttributes.ScheduledEventId,
        _ => null,
    };

    /// <summary>The id of the workflow timer the event ends (fired or cancelled).</summary>
    public static string? EndedTimer(HistoryEvent historyEvent) => historyEvent.AttributesCase switch
    {
        HistoryEvent.AttributesOneofCase.TimerFiredEventAttributes => historyEvent.TimerFiredEventAttributes.TimerId,
        HistoryEvent.AttributesOneofCase.TimerCanceledEventAttributes => historyEvent.TimerCanceledEventAttributes.TimerId,
        _ => null,
    };

    public static bool EndsWorkflowTask(HistoryEvent historyEvent) => historyEvent.AttributesCase is
        HistoryEvent.AttributesOneofCase.WorkflowTaskCompletedEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowTaskFailedEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowTaskTimedOutEventAttributes;

    public static bool ClosesRun(HistoryEvent historyEvent) => historyEvent.AttributesCase is
        HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowExecutionCanceledEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowExecutionTerminatedEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes or
        HistoryEvent.AttributesOneofCase.WorkflowExecutionContinuedAsNewEventAttributes;
}
