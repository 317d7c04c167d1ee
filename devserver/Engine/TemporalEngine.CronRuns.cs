using Google.Protobuf.WellKnownTypes;
using Payments.DevServer.Schedules;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Cron workflows and the close of a chain: a run started with a cron schedule waits for the next match, and each
/// completed, failed or timed-out run (retries exhausted) starts the next one at the following match, carrying its
/// result or failure; a run timeout is retried by the workflow's retry policy first, as in Temporal.
/// </summary>
internal sealed partial class TemporalEngine
{
    /// <summary>Raised (once the workflow's lock is released, before virtual time moves on) when a chain ends for good.</summary>
    public event Action<Execution, HistoryEvent>? ChainClosed;

    /// <summary>The first run of a cron workflow waits for the schedule's next match; a start delay is refused with cron.</summary>
    private TimeSpan CronFirstRunDelay(WorkflowExecutionStartedEventAttributes attributes, TimeSpan startDelay)
    {
        if (string.IsNullOrEmpty(attributes.CronSchedule))
        {
            return startDelay;
        }
        if (startDelay > TimeSpan.Zero)
        {
            throw TemporalErrors.InvalidArgument("CronSchedule and WorkflowStartDelay may not be used together.");
        }
        var now = Clock.UtcNow;
        return CronNext(attributes.CronSchedule, now) - now;
    }

    private static DateTime CronNext(string cron, DateTime after)
    {
        try
        {
            return CompiledSpec.Compile(CompiledSpec.Canonicalize(new Temporalio.Api.Schedule.V1.ScheduleSpec { CronString = { cron } })).Next(after)?.Nominal
                ?? throw TemporalErrors.InvalidArgument($"Invalid CronSchedule {cron}: it never matches.");
        }
        catch (FormatException e)
        {
            throw TemporalErrors.InvalidArgument($"Invalid CronSchedule {cron}: {e.Message}.");
        }
    }

    /// <summary>Called by <see cref="CloseRun"/> once the close event is appended: starts the next cron run when one is due; true if it did.</summary>
    private bool ContinueCron(Execution x, HistoryEvent closeEvent, Mutation m)
    {
        var cron = x.Started.CronSchedule;
        if (string.IsNullOrEmpty(cron))
        {
            return false;
        }
        var previous = x.Started;
        var next = previous.Clone();
        next.Attempt = 1;
        next.Initiator = ContinueAsNewInitiator.CronSchedule;
        next.ContinuedExecutionRunId = x.RunId;
        next.Memo = x.Memo.Clone();
        next.SearchAttributes = x.SearchAttributes.Clone();
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
                next.ContinuedFailure = RunTimeoutFailure();
                break;
            default:
                // Terminated, cancelled, continued as new or being retried: the cron chain does not go on from here.
                return false;
        }
        var now = Clock.UtcNow;
        var runId = CreateRun(x.Chain, next, CronNext(cron, now) - now, null, m).RunId;
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

    /// <summary>The run timeout fired: the retry policy may start another attempt; otherwise the run times out (and cron may go on).</summary>
    private void TimeOutRun(Execution x, Mutation m)
    {
        if (!x.IsRunning)
        {
            return;
        }
        var failure = RunTimeoutFailure();
        var delay = TimeSpan.Zero;
        // Past the execution timeout nothing follows; otherwise the retry policy decides, as for a failure.
        var state = Clock.UtcNow >= x.ExecutionDeadline ? RetryState.Timeout
            : x.Started.RetryPolicy is { } policy ? RetryPolicies.Decide(RetryPolicies.WithDefaults(policy), x.Started.Attempt, failure, Clock.UtcNow, x.ExecutionDeadline, out delay)
            : RetryState.RetryPolicyNotSet;
        var e = NewEvent(EventType.WorkflowExecutionTimedOut);
        var attributes = new WorkflowExecutionTimedOutEventAttributes { RetryState = state };
        e.WorkflowExecutionTimedOutEventAttributes = attributes;
        CloseRun(x, e, m);
        if (state != RetryState.InProgress)
        {
            return;
        }
        var next = x.Started.Clone();
        next.Attempt = x.Started.Attempt + 1;
        next.ContinuedExecutionRunId = x.RunId;
        next.Initiator = ContinueAsNewInitiator.Retry;
        next.ContinuedFailure = failure;
        next.Memo = x.Memo.Clone();
        next.SearchAttributes = x.SearchAttributes.Clone();
        attributes.NewExecutionRunId = CreateRun(x.Chain, next, delay, null, m).RunId;
    }

    private static Failure RunTimeoutFailure() => new()
    {
        Message = "workflow timeout",
        TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = TimeoutType.StartToClose },
    };

    /// <summary>Tells the listeners that this run ended its chain (no retry, cron or continue-as-new follows).</summary>
    private void NotifyChainClosed(Execution x, HistoryEvent closeEvent, Mutation m)
    {
        if (ChainClosed is { } listeners)
        {
            m.After(() => listeners(x, closeEvent));
        }
    }
}
