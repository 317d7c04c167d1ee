using Payments.DevServer.Schedules;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Schedule.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Cron workflows: a run started with a cron schedule waits for the schedule's next match, and each completed, failed
/// or timed-out run (retries exhausted) starts the next one at the following match, carrying its result or failure;
/// terminate and cancel end the chain, as in Temporal.
/// </summary>
internal sealed class CronRuns(TemporalEngine engine)
{
    /// <summary>The delay before a new run's first workflow task: the next cron match for a cron workflow (a start delay is refused with cron).</summary>
    public TimeSpan FirstRunDelay(WorkflowExecutionStartedEventAttributes attributes, TimeSpan startDelay)
    {
        if (string.IsNullOrEmpty(attributes.CronSchedule))
        {
            return startDelay;
        }
        if (startDelay > TimeSpan.Zero)
        {
            throw TemporalErrors.InvalidArgument("CronSchedule and WorkflowStartDelay may not be used together.");
        }
        return DelayUntilNextMatch(attributes.CronSchedule);
    }

    /// <summary>Called once a run's close event is appended: starts the next cron run when one is due; true if it did.</summary>
    public bool ContinueAfter(Execution run, HistoryEvent closeEvent, Mutation mutation)
    {
        var cron = run.Started.CronSchedule;
        if (string.IsNullOrEmpty(cron))
        {
            return false;
        }
        var next = run.Started.Clone();
        next.Attempt = 1;
        next.Initiator = ContinueAsNewInitiator.CronSchedule;
        next.ContinuedExecutionRunId = run.RunId;
        next.Memo = run.Memo.Clone();
        next.SearchAttributes = run.SearchAttributes.Clone();
        next.WorkflowExecutionExpirationTime = null;
        switch (closeEvent.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                next.LastCompletionResult = closeEvent.WorkflowExecutionCompletedEventAttributes.Result;
                next.ContinuedFailure = null;
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes when closeEvent.WorkflowExecutionFailedEventAttributes.RetryState != RetryState.InProgress:
                next.ContinuedFailure = closeEvent.WorkflowExecutionFailedEventAttributes.Failure;
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes when closeEvent.WorkflowExecutionTimedOutEventAttributes.RetryState != RetryState.InProgress:
                next.ContinuedFailure = RunLifecycle.RunTimeoutFailure();
                break;
            default:
                // Terminated, cancelled, continued as new or being retried: the cron chain does not go on from here.
                return false;
        }
        var runId = engine.Lifecycle.CreateRun(run.Chain, next, DelayUntilNextMatch(cron), null, mutation, null).RunId;
        switch (closeEvent.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                closeEvent.WorkflowExecutionCompletedEventAttributes.NewExecutionRunId = runId;
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes:
                closeEvent.WorkflowExecutionFailedEventAttributes.NewExecutionRunId = runId;
                break;
            default:
                closeEvent.WorkflowExecutionTimedOutEventAttributes.NewExecutionRunId = runId;
                break;
        }
        return true;
    }

    private TimeSpan DelayUntilNextMatch(string cron)
    {
        var now = engine.Clock.UtcNow;
        try
        {
            var next = CompiledSpec.Compile(CompiledSpec.Canonicalize(new ScheduleSpec { CronString = { cron } })).Next(now)
                ?? throw TemporalErrors.InvalidArgument($"Invalid CronSchedule {cron}: it never matches.");
            return next.Nominal - now;
        }
        catch (FormatException invalid)
        {
            throw TemporalErrors.InvalidArgument($"Invalid CronSchedule {cron}: {invalid.Message}.");
        }
    }
}
