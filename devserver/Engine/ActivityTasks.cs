using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>An activity attempt waiting on a queue; stale once the attempt ended.</summary>
internal sealed record ActivityTaskRef(Execution Execution, long ScheduledEventId, int Attempt);

/// <summary>
/// Activities of workflows: scheduled by a command, each attempt queued, started by a poll, ended by the worker (by
/// token or by id) or a timeout; retried by the server after a backoff without a history event, as Temporal does.
/// </summary>
internal sealed class ActivityTasks(TemporalEngine engine)
{
    public void Schedule(Execution run, ScheduleActivityTaskCommandAttributes command, long completedEventId, UserMetadata? metadata, Mutation mutation)
    {
        var (scheduleToClose, scheduleToStart, startToClose) = Timeouts(run, command);
        var scheduled = engine.Events.ActivityTaskScheduled(new ActivityTaskScheduledEventAttributes
        {
            ActivityId = command.ActivityId,
            ActivityType = command.ActivityType,
            TaskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? run.Started.TaskQueue : command.TaskQueue,
            Header = command.Header,
            Input = command.Input,
            ScheduleToCloseTimeout = Duration.FromTimeSpan(scheduleToClose),
            ScheduleToStartTimeout = Duration.FromTimeSpan(scheduleToStart),
            StartToCloseTimeout = Duration.FromTimeSpan(startToClose),
            HeartbeatTimeout = command.HeartbeatTimeout ?? new Duration(),
            WorkflowTaskCompletedEventId = completedEventId,
            RetryPolicy = RetryPolicies.WithDefaults(command.RetryPolicy),
            UseWorkflowBuildId = command.UseWorkflowBuildId,
            Priority = command.Priority,
        }, metadata);
        var scheduledEventId = HistoryWriter.Append(run, scheduled, mutation);
        Arm(run, run.Activities[scheduledEventId]);
    }

    /// <summary>Temporal's normalisation: schedule-to-close bounded by the run, the others bounded by it.</summary>
    private static (TimeSpan ScheduleToClose, TimeSpan ScheduleToStart, TimeSpan StartToClose) Timeouts(Execution run, ScheduleActivityTaskCommandAttributes command)
    {
        var runTimeout = run.Started.WorkflowRunTimeout.ToTimeSpanOrZero();
        var scheduleToClose = command.ScheduleToCloseTimeout.ToTimeSpanOrZero();
        var startToClose = command.StartToCloseTimeout.ToTimeSpanOrZero();
        var scheduleToStart = command.ScheduleToStartTimeout.ToTimeSpanOrZero();
        if (scheduleToClose <= TimeSpan.Zero || (runTimeout > TimeSpan.Zero && scheduleToClose > runTimeout))
        {
            scheduleToClose = runTimeout;
        }
        if (startToClose <= TimeSpan.Zero)
        {
            startToClose = scheduleToClose;
        }
        if (scheduleToClose > TimeSpan.Zero && startToClose > scheduleToClose)
        {
            startToClose = scheduleToClose;
        }
        if (scheduleToStart <= TimeSpan.Zero || (scheduleToClose > TimeSpan.Zero && scheduleToStart > scheduleToClose))
        {
            scheduleToStart = scheduleToClose;
        }
        return (scheduleToClose, scheduleToStart, startToClose);
    }

    /// <summary>Arms an activity's timers and queues its current attempt (used live and on restore).</summary>
    public void Arm(Execution run, ActivityInfo activity)
    {
        if (activity.ScheduleToCloseDeadline != DateTime.MaxValue)
        {
            run.Armed.Activity(activity.ScheduledEventId).ScheduleToClose =
                engine.Clock.Schedule(activity.ScheduleToCloseDeadline, () => OnTimeout(run, activity, activity.Attempt, TimeoutType.ScheduleToClose));
        }
        if (activity.IsStarted)
        {
            ArmStarted(run, activity);
        }
        else
        {
            ArmAttempt(run, activity);
        }
    }

    /// <summary>Queues the current attempt at <paramref name="when"/> (an operator's unpause or reset).</summary>
    public void Requeue(Execution run, ActivityInfo activity, DateTime when)
    {
        run.Armed.Activity(activity.ScheduledEventId).EndAttempt();
        activity.AttemptScheduledTime = when;
        ArmAttempt(run, activity);
    }

    /// <summary>Re-arms the timers an operator's new options change: the schedule-to-close deadline and a running attempt's timeouts.</summary>
    public void Rearm(Execution run, ActivityInfo activity)
    {
        var timers = run.Armed.Activity(activity.ScheduledEventId);
        timers.ScheduleToClose?.Cancel();
        timers.ScheduleToClose = null;
        if (activity.ScheduleToCloseDeadline != DateTime.MaxValue)
        {
            timers.ScheduleToClose = engine.Clock.Schedule(activity.ScheduleToCloseDeadline, () => OnTimeout(run, activity, activity.Attempt, TimeoutType.ScheduleToClose));
        }
        if (activity.IsStarted)
        {
            timers.StartToClose?.Cancel();
            ArmStarted(run, activity);
        }
    }

    private void ArmAttempt(Execution run, ActivityInfo activity)
    {
        if (activity.IsPaused)
        {
            return;
        }
        var attempt = activity.Attempt;
        if (activity.AttemptScheduledTime > engine.Clock.UtcNow)
        {
            run.Armed.Activity(activity.ScheduledEventId).Wait = engine.Clock.Schedule(activity.AttemptScheduledTime, () => engine.Mutate(run.Chain, _ =>
            {
                if (run.IsRunning && run.Activities.TryGetValue(activity.ScheduledEventId, out var current) && current == activity && activity.Attempt == attempt && !activity.IsStarted && !activity.IsPaused)
                {
                    QueueAttempt(run, activity);
                }
            }));
            return;
        }
        QueueAttempt(run, activity);
    }

    private void QueueAttempt(Execution run, ActivityInfo activity)
    {
        var timers = run.Armed.Activity(activity.ScheduledEventId);
        timers.Hold();
        engine.Queues.Get(run.Namespace.Name, activity.Attributes.TaskQueue.Name, TaskQueueType.Activity).Add(new ActivityTaskRef(run, activity.ScheduledEventId, activity.Attempt));
        var scheduleToStart = activity.Attributes.ScheduleToStartTimeout.ToTimeSpanOrZero();
        if (scheduleToStart > TimeSpan.Zero)
        {
            var attempt = activity.Attempt;
            timers.Wait = engine.Clock.Schedule(activity.AttemptScheduledTime + scheduleToStart, () => OnTimeout(run, activity, attempt, TimeoutType.ScheduleToStart));
        }
    }

    private void ArmStarted(Execution run, ActivityInfo activity)
    {
        var attempt = activity.Attempt;
        var startToClose = activity.Attributes.StartToCloseTimeout.ToTimeSpanOrZero();
        if (startToClose > TimeSpan.Zero)
        {
            run.Armed.Activity(activity.ScheduledEventId).StartToClose =
                engine.Clock.Schedule(activity.StartedTime!.Value + startToClose, () => OnTimeout(run, activity, attempt, TimeoutType.StartToClose));
        }
        ArmHeartbeatTimeout(run, activity);
    }

    private void ArmHeartbeatTimeout(Execution run, ActivityInfo activity)
    {
        var heartbeat = activity.Attributes.HeartbeatTimeout.ToTimeSpanOrZero();
        if (heartbeat <= TimeSpan.Zero)
        {
            return;
        }
        var timers = run.Armed.Activity(activity.ScheduledEventId);
        timers.Heartbeat?.Cancel();
        var attempt = activity.Attempt;
        var last = activity.LastHeartbeatTime is { } beat && beat > activity.StartedTime!.Value ? beat : activity.StartedTime!.Value;
        timers.Heartbeat = engine.Clock.Schedule(last + heartbeat, () => OnTimeout(run, activity, attempt, TimeoutType.Heartbeat));
    }

    private void OnTimeout(Execution run, ActivityInfo activity, int attempt, TimeoutType timeoutType) => engine.Mutate(run.Chain, mutation =>
    {
        if (!run.IsRunning || !run.Activities.TryGetValue(activity.ScheduledEventId, out var current) || current != activity)
        {
            return;
        }
        var attemptLevel = timeoutType != TimeoutType.ScheduleToClose;
        if (attemptLevel && (activity.Attempt != attempt || activity.IsStarted != (timeoutType != TimeoutType.ScheduleToStart)))
        {
            return;
        }
        var failure = new Failure
        {
            Message = $"activity {TimeoutName(timeoutType)} timeout",
            TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = timeoutType, LastHeartbeatDetails = activity.HeartbeatDetails },
        };
        var retryState = timeoutType switch
        {
            TimeoutType.ScheduleToClose => RetryState.Timeout,
            TimeoutType.ScheduleToStart => RetryState.NonRetryableFailure,
            _ => Decide(activity, failure, out var delay) is var decided && decided == RetryState.InProgress
                ? Retry(run, activity, failure, delay, mutation)
                : decided,
        };
        if (retryState == RetryState.InProgress)
        {
            return;
        }
        if (activity.LastFailure is not null && timeoutType == TimeoutType.ScheduleToClose)
        {
            failure.Cause = activity.LastFailure;
        }
        engine.History.AddExternal(run, engine.Events.ActivityTaskTimedOut(new ActivityTaskTimedOutEventAttributes
        {
            Failure = failure,
            ScheduledEventId = activity.ScheduledEventId,
            StartedEventId = activity.IsStarted ? AddStarted(run, activity, mutation) : 0,
            RetryState = retryState,
        }), mutation);
    });

    private static string TimeoutName(TimeoutType timeoutType) => timeoutType switch
    {
        TimeoutType.StartToClose => "StartToClose",
        TimeoutType.ScheduleToStart => "ScheduleToStart",
        TimeoutType.ScheduleToClose => "ScheduleToClose",
        _ => "Heartbeat",
    };

    /// <summary>
    /// The retry policy's decision, except for an attempt ended by an operator's pause or reset, which is always retried:
    /// a paused activity waits for its unpause, a reset one starts again at once.
    /// </summary>
    private RetryState Decide(ActivityInfo activity, Failure failure, out TimeSpan delay)
    {
        if (activity.IsPaused || activity.ResetRequested)
        {
            delay = TimeSpan.Zero;
            return RetryState.InProgress;
        }
        return RetryPolicies.Decide(activity, failure, engine.Clock.UtcNow, out delay);
    }

    /// <summary>Ends the attempt and queues the next one after <paramref name="delay"/> (no history event, as in Temporal); a paused activity waits for its unpause.</summary>
    private RetryState Retry(Execution run, ActivityInfo activity, Failure failure, TimeSpan delay, Mutation mutation)
    {
        run.Armed.Activity(activity.ScheduledEventId).EndAttempt();
        activity.IsStarted = false;
        activity.LastFailure = failure;
        if (activity.ResetRequested)
        {
            activity.Attempt = 1;
            if (activity.ResetHeartbeatOnRetry)
            {
                activity.HeartbeatDetails = null;
                activity.LastHeartbeatTime = null;
            }
            activity.ResetRequested = false;
            activity.ResetHeartbeatOnRetry = false;
        }
        else
        {
            activity.Attempt++;
        }
        activity.AttemptScheduledTime = engine.Clock.UtcNow + delay;
        mutation.Touch(run);
        ArmAttempt(run, activity);
        return RetryState.InProgress;
    }

    /// <summary>The ActivityTaskStarted event, which Temporal writes only when the attempt ends.</summary>
    private long AddStarted(Execution run, ActivityInfo activity, Mutation mutation) =>
        engine.History.AddExternal(run, engine.Events.ActivityTaskStarted(activity), mutation, scheduleTask: false);

    /// <summary>The cancel command: an attempt not started yet is cancelled at once (and needs a workflow task); a started one is asked to stop.</summary>
    public bool RequestCancel(Execution run, long scheduledEventId, long completedEventId, Mutation mutation)
    {
        if (!run.Activities.TryGetValue(scheduledEventId, out var activity))
        {
            return false;
        }
        var requestedEventId = HistoryWriter.Append(run, engine.Events.ActivityTaskCancelRequested(scheduledEventId, completedEventId), mutation);
        if (activity.IsStarted)
        {
            return false;
        }
        HistoryWriter.Append(run, engine.Events.ActivityTaskCanceled(new ActivityTaskCanceledEventAttributes { ScheduledEventId = scheduledEventId, LatestCancelRequestedEventId = requestedEventId }), mutation);
        return true;
    }

    public async Task<PollActivityTaskQueueResponse> PollAsync(PollActivityTaskQueueRequest request, CancellationToken cancellationToken)
    {
        var ns = engine.GetNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
        var queue = engine.Queues.Get(ns.Name, request.TaskQueue.Name, TaskQueueType.Activity);
        var task = await queue.PollAsync(request.Identity, TemporalEngine.PollHold, item => item is StandaloneActivityTaskRef standalone
            ? engine.StandaloneActivities.TryStart(standalone, request.Identity)
            : TryStart((ActivityTaskRef)item, request.Identity), engine.Workers.PollRelease(request.WorkerInstanceKey), cancellationToken);
        return task ?? new PollActivityTaskQueueResponse();
    }

    private PollActivityTaskQueueResponse? TryStart(ActivityTaskRef reference, string identity)
    {
        var run = reference.Execution;
        return engine.Mutate(run.Chain, mutation =>
        {
            if (!run.IsRunning || !run.Activities.TryGetValue(reference.ScheduledEventId, out var activity) || activity.Attempt != reference.Attempt || activity.IsStarted || activity.IsPaused)
            {
                return null;
            }
            var timers = run.Armed.Activity(activity.ScheduledEventId);
            timers.Wait?.Cancel();
            activity.Start(engine.Clock.UtcNow, identity, Guid.NewGuid().ToString());
            timers.Hold();
            mutation.Touch(run);
            ArmStarted(run, activity);
            var attributes = activity.Attributes;
            return new PollActivityTaskQueueResponse
            {
                TaskToken = new TaskToken(TaskTokenKind.Activity, run.Namespace.Name, run.WorkflowId, run.RunId, activity.ScheduledEventId, activity.Attempt).ToByteString(),
                WorkflowNamespace = run.Namespace.Name,
                WorkflowType = run.Started.WorkflowType,
                WorkflowExecution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
                ActivityType = attributes.ActivityType,
                ActivityId = attributes.ActivityId,
                Header = attributes.Header,
                Input = attributes.Input,
                HeartbeatDetails = activity.HeartbeatDetails,
                ScheduledTime = Timestamp.FromDateTime(activity.ScheduledTime),
                CurrentAttemptScheduledTime = Timestamp.FromDateTime(activity.AttemptScheduledTime),
                StartedTime = Timestamp.FromDateTime(activity.StartedTime!.Value),
                Attempt = activity.Attempt,
                ScheduleToCloseTimeout = attributes.ScheduleToCloseTimeout,
                StartToCloseTimeout = attributes.StartToCloseTimeout,
                HeartbeatTimeout = attributes.HeartbeatTimeout,
                RetryPolicy = attributes.RetryPolicy,
                Priority = attributes.Priority,
            };
        });
    }

    /// <summary>Runs <paramref name="action"/> on the started attempt a token names; NotFound when that attempt is over.</summary>
    private Task<T> WithActivityByToken<T>(ByteString taskToken, Func<Execution, ActivityInfo, Mutation, T> action)
    {
        var token = TaskToken.Parse(taskToken, TaskTokenKind.Activity);
        var ns = engine.GetNamespace(token.Namespace);
        if (!ns.Chains.TryGetValue(token.WorkflowId, out var chain))
        {
            throw TemporalErrors.NotFound("Activity task not found.");
        }
        return engine.MutateAsync(chain, mutation =>
        {
            var run = chain.Find(token.RunId);
            if (run is not { IsRunning: true } || !run.Activities.TryGetValue(token.EventId, out var activity) || activity.Attempt != token.Attempt || !activity.IsStarted)
            {
                throw TemporalErrors.NotFound("Activity task not found.");
            }
            return action(run, activity, mutation);
        });
    }

    /// <summary>The same for the by-id calls: the activity's current attempt, which must be started.</summary>
    private Task<T> WithActivityById<T>(string nsName, string workflowId, string runId, string activityId, Func<Execution, ActivityInfo, Mutation, T> action)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(nsName), workflowId);
        return engine.MutateAsync(chain, mutation =>
        {
            var run = TemporalEngine.GetRun(chain, runId);
            var activity = run.IsRunning ? run.Activities.Values.FirstOrDefault(pending => pending.Attributes.ActivityId == activityId) : null;
            if (activity is not { IsStarted: true })
            {
                throw TemporalErrors.NotFound("Activity task not found.");
            }
            return action(run, activity, mutation);
        });
    }

    public Task<IMessage> CompleteAsync(RespondActivityTaskCompletedRequest request) =>
        TaskToken.IsStandaloneActivity(request.TaskToken)
            ? engine.StandaloneActivities.WithStartedAttempt(request.TaskToken, activity => engine.StandaloneActivities.Complete(activity, request.Result, new RespondActivityTaskCompletedResponse()))
            : WithActivityByToken(request.TaskToken, (run, activity, mutation) => Complete(run, activity, request.Result, request.Identity, mutation, new RespondActivityTaskCompletedResponse()));

    public Task<IMessage> CompleteByIdAsync(RespondActivityTaskCompletedByIdRequest request) =>
        WithActivityById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId,
            (run, activity, mutation) => Complete(run, activity, request.Result, request.Identity, mutation, new RespondActivityTaskCompletedByIdResponse()));

    public Task<IMessage> FailAsync(RespondActivityTaskFailedRequest request) =>
        TaskToken.IsStandaloneActivity(request.TaskToken)
            ? engine.StandaloneActivities.WithStartedAttempt(request.TaskToken, activity => engine.StandaloneActivities.Fail(activity, request.Failure, new RespondActivityTaskFailedResponse()))
            : WithActivityByToken(request.TaskToken, (run, activity, mutation) => Fail(run, activity, request.Failure, request.LastHeartbeatDetails, request.Identity, mutation, new RespondActivityTaskFailedResponse()));

    public Task<IMessage> FailByIdAsync(RespondActivityTaskFailedByIdRequest request) =>
        WithActivityById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId,
            (run, activity, mutation) => Fail(run, activity, request.Failure, request.LastHeartbeatDetails, request.Identity, mutation, new RespondActivityTaskFailedByIdResponse()));

    public Task<IMessage> CancelAsync(RespondActivityTaskCanceledRequest request) =>
        TaskToken.IsStandaloneActivity(request.TaskToken)
            ? engine.StandaloneActivities.WithStartedAttempt(request.TaskToken, activity => engine.StandaloneActivities.Canceled(activity, request.Details, new RespondActivityTaskCanceledResponse()))
            : WithActivityByToken(request.TaskToken, (run, activity, mutation) => Cancel(run, activity, request.Details, request.Identity, mutation, new RespondActivityTaskCanceledResponse()));

    public Task<IMessage> CancelByIdAsync(RespondActivityTaskCanceledByIdRequest request) =>
        WithActivityById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId,
            (run, activity, mutation) => Cancel(run, activity, request.Details, request.Identity, mutation, new RespondActivityTaskCanceledByIdResponse()));

    public Task<IMessage> HeartbeatAsync(RecordActivityTaskHeartbeatRequest request) =>
        TaskToken.IsStandaloneActivity(request.TaskToken)
            ? engine.StandaloneActivities.WithStartedAttempt(request.TaskToken, activity => engine.StandaloneActivities.Heartbeat(activity, request.Details))
            : WithActivityByToken(request.TaskToken, (run, activity, mutation) =>
        {
            Heartbeat(run, activity, request.Details, mutation);
            return (IMessage)new RecordActivityTaskHeartbeatResponse { CancelRequested = activity.CancelRequested, ActivityPaused = activity.IsPaused, ActivityReset = activity.ResetRequested };
        });

    public Task<IMessage> HeartbeatByIdAsync(RecordActivityTaskHeartbeatByIdRequest request) =>
        WithActivityById(request.Namespace, request.WorkflowId, request.RunId, request.ActivityId, (run, activity, mutation) =>
        {
            Heartbeat(run, activity, request.Details, mutation);
            return (IMessage)new RecordActivityTaskHeartbeatByIdResponse { CancelRequested = activity.CancelRequested, ActivityPaused = activity.IsPaused, ActivityReset = activity.ResetRequested };
        });

    private void Heartbeat(Execution run, ActivityInfo activity, Payloads? details, Mutation mutation)
    {
        if (details is not null)
        {
            activity.HeartbeatDetails = details;
        }
        activity.LastHeartbeatTime = engine.Clock.UtcNow;
        mutation.Touch(run);
        ArmHeartbeatTimeout(run, activity);
    }

    private IMessage Complete(Execution run, ActivityInfo activity, Payloads? result, string identity, Mutation mutation, IMessage response)
    {
        if (!engine.Blobs.Fits(result, "activity result", run.WorkflowId))
        {
            // As Temporal: a result past the blob limit fails the activity, for good.
            var tooLarge = new Failure { Message = "Complete result exceeds size limit.", ServerFailureInfo = new ServerFailureInfo { NonRetryable = true } };
            return Fail(run, activity, tooLarge, null, identity, mutation, response);
        }
        engine.History.AddExternal(run, engine.Events.ActivityTaskCompleted(new ActivityTaskCompletedEventAttributes
        {
            Result = result,
            ScheduledEventId = activity.ScheduledEventId,
            StartedEventId = AddStarted(run, activity, mutation),
            Identity = identity,
        }), mutation);
        return response;
    }

    private IMessage Fail(Execution run, ActivityInfo activity, Failure failure, Payloads? lastHeartbeat, string identity, Mutation mutation, IMessage response)
    {
        if (lastHeartbeat is not null)
        {
            activity.HeartbeatDetails = lastHeartbeat;
        }
        var retryState = Decide(activity, failure, out var delay);
        if (retryState == RetryState.InProgress)
        {
            Retry(run, activity, failure, delay, mutation);
            return response;
        }
        engine.History.AddExternal(run, engine.Events.ActivityTaskFailed(new ActivityTaskFailedEventAttributes
        {
            Failure = failure,
            ScheduledEventId = activity.ScheduledEventId,
            StartedEventId = AddStarted(run, activity, mutation),
            Identity = identity,
            RetryState = retryState,
        }), mutation);
        return response;
    }

    private IMessage Cancel(Execution run, ActivityInfo activity, Payloads? details, string identity, Mutation mutation, IMessage response)
    {
        if (!activity.CancelRequested && (activity.IsPaused || activity.ResetRequested))
        {
            // The worker stopped the attempt because an operator paused or reset it: the activity goes on, as after a failure.
            activity.HeartbeatDetails = details ?? activity.HeartbeatDetails;
            Retry(run, activity, new Failure { Message = activity.IsPaused ? "activity paused" : "activity reset", CanceledFailureInfo = new CanceledFailureInfo { Details = details } }, TimeSpan.Zero, mutation);
            return response;
        }
        var requested = run.History.LastOrDefault(historyEvent => historyEvent.ActivityTaskCancelRequestedEventAttributes?.ScheduledEventId == activity.ScheduledEventId);
        engine.History.AddExternal(run, engine.Events.ActivityTaskCanceled(new ActivityTaskCanceledEventAttributes
        {
            Details = details,
            LatestCancelRequestedEventId = requested?.EventId ?? 0,
            ScheduledEventId = activity.ScheduledEventId,
            StartedEventId = AddStarted(run, activity, mutation),
            Identity = identity,
        }), mutation);
        return response;
    }
}
