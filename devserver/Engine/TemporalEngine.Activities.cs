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

internal sealed partial class TemporalEngine
{
    private void ScheduleActivity(Execution x, ScheduleActivityTaskCommandAttributes c, long completedId, UserMetadata? metadata, Mutation m)
    {
        var (scheduleToClose, scheduleToStart, startToClose) = ActivityTimeouts(x, c);
        var e = NewEvent(EventType.ActivityTaskScheduled);
        e.UserMetadata = metadata;
        e.ActivityTaskScheduledEventAttributes = new ActivityTaskScheduledEventAttributes
        {
            ActivityId = c.ActivityId,
            ActivityType = c.ActivityType,
            TaskQueue = string.IsNullOrEmpty(c.TaskQueue?.Name) ? x.Started.TaskQueue : c.TaskQueue,
            Header = c.Header,
            Input = c.Input,
            ScheduleToCloseTimeout = Duration.FromTimeSpan(scheduleToClose),
            ScheduleToStartTimeout = Duration.FromTimeSpan(scheduleToStart),
            StartToCloseTimeout = Duration.FromTimeSpan(startToClose),
            HeartbeatTimeout = c.HeartbeatTimeout ?? new Duration(),
            WorkflowTaskCompletedEventId = completedId,
            RetryPolicy = RetryPolicies.WithDefaults(c.RetryPolicy),
            UseWorkflowBuildId = c.UseWorkflowBuildId,
            Priority = c.Priority,
        };
        var id = Append(x, e, m);
        ArmActivity(x, x.Activities[id]);
    }

    /// <summary>Temporal's normalisation: schedule-to-close bounded by the run, the others bounded by it.</summary>
    private static (TimeSpan ScheduleToClose, TimeSpan ScheduleToStart, TimeSpan StartToClose) ActivityTimeouts(Execution x, ScheduleActivityTaskCommandAttributes c)
    {
        var run = x.Started.WorkflowRunTimeout.ToTimeSpanOrZero();
        var scheduleToClose = c.ScheduleToCloseTimeout.ToTimeSpanOrZero();
        var startToClose = c.StartToCloseTimeout.ToTimeSpanOrZero();
        var scheduleToStart = c.ScheduleToStartTimeout.ToTimeSpanOrZero();
        if (scheduleToClose <= TimeSpan.Zero || (run > TimeSpan.Zero && scheduleToClose > run))
        {
            scheduleToClose = run;
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
    public void ArmActivity(Execution x, ActivityInfo a)
    {
        if (a.ScheduleToCloseDeadline != DateTime.MaxValue)
        {
            a.ScheduleToCloseTimer = Clock.Schedule(a.ScheduleToCloseDeadline, () => OnActivityTimeout(x, a, a.Attempt, TimeoutType.ScheduleToClose));
        }
        if (a.IsStarted)
        {
            ArmStartedActivity(x, a);
        }
        else
        {
            ArmActivityAttempt(x, a);
        }
    }

    private void ArmActivityAttempt(Execution x, ActivityInfo a)
    {
        var attempt = a.Attempt;
        if (a.AttemptScheduledTime > Clock.UtcNow)
        {
            a.WaitTimer = Clock.Schedule(a.AttemptScheduledTime, () => Mutate(x.Chain, _ =>
            {
                if (x.IsRunning && x.Activities.TryGetValue(a.ScheduledEventId, out var current) && current == a && a.Attempt == attempt && !a.IsStarted)
                {
                    QueueActivityAttempt(x, a);
                }
            }));
            return;
        }
        QueueActivityAttempt(x, a);
    }

    private void QueueActivityAttempt(Execution x, ActivityInfo a)
    {
        a.Hold(Clock);
        Queues.Get(x.Namespace.Name, a.Attributes.TaskQueue.Name, TaskQueueType.Activity).Add(new ActivityTaskRef(x, a.ScheduledEventId, a.Attempt));
        var scheduleToStart = a.Attributes.ScheduleToStartTimeout.ToTimeSpanOrZero();
        if (scheduleToStart > TimeSpan.Zero)
        {
            var attempt = a.Attempt;
            a.WaitTimer = Clock.Schedule(a.AttemptScheduledTime + scheduleToStart, () => OnActivityTimeout(x, a, attempt, TimeoutType.ScheduleToStart));
        }
    }

    private void ArmStartedActivity(Execution x, ActivityInfo a)
    {
        var attempt = a.Attempt;
        var startToClose = a.Attributes.StartToCloseTimeout.ToTimeSpanOrZero();
        if (startToClose > TimeSpan.Zero)
        {
            a.StartToCloseTimer = Clock.Schedule(a.StartedTime!.Value + startToClose, () => OnActivityTimeout(x, a, attempt, TimeoutType.StartToClose));
        }
        ArmHeartbeatTimeout(x, a);
    }

    private void ArmHeartbeatTimeout(Execution x, ActivityInfo a)
    {
        var heartbeat = a.Attributes.HeartbeatTimeout.ToTimeSpanOrZero();
        if (heartbeat <= TimeSpan.Zero)
        {
            return;
        }
        a.HeartbeatTimer?.Cancel();
        var attempt = a.Attempt;
        var last = a.LastHeartbeatTime is { } beat && beat > a.StartedTime!.Value ? beat : a.StartedTime!.Value;
        a.HeartbeatTimer = Clock.Schedule(last + heartbeat, () => OnActivityTimeout(x, a, attempt, TimeoutType.Heartbeat));
    }

    private void OnActivityTimeout(Execution x, ActivityInfo a, int attempt, TimeoutType type) => Mutate(x.Chain, m =>
    {
        if (!x.IsRunning || !x.Activities.TryGetValue(a.ScheduledEventId, out var current) || current != a)
        {
            return;
        }
        var attemptLevel = type != TimeoutType.ScheduleToClose;
        if (attemptLevel && (a.Attempt != attempt || a.IsStarted != (type != TimeoutType.ScheduleToStart)))
        {
            return;
        }
        var failure = new Failure
        {
            Message = $"activity {TimeoutName(type)} timeout",
            TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = type, LastHeartbeatDetails = a.HeartbeatDetails },
        };
        var retryState = type switch
        {
            TimeoutType.ScheduleToClose => RetryState.Timeout,
            TimeoutType.ScheduleToStart => RetryState.NonRetryableFailure,
            _ => RetryPolicies.Decide(a, failure, Clock.UtcNow, out var delay) is var state && state == RetryState.InProgress
                ? Retry(x, a, failure, delay, m)
                : state,
        };
        if (retryState == RetryState.InProgress)
        {
            return;
        }
        if (a.LastFailure is not null && type == TimeoutType.ScheduleToClose)
        {
            failure.Cause = a.LastFailure;
        }
        var timedOut = NewEvent(EventType.ActivityTaskTimedOut);
        timedOut.ActivityTaskTimedOutEventAttributes = new ActivityTaskTimedOutEventAttributes
        {
            Failure = failure,
            ScheduledEventId = a.ScheduledEventId,
            StartedEventId = a.IsStarted ? AddActivityStarted(x, a, m) : 0,
            RetryState = retryState,
        };
        AddExternal(x, timedOut, m);
    });

    private static string TimeoutName(TimeoutType type) => type switch
    {
        TimeoutType.StartToClose => "StartToClose",
        TimeoutType.ScheduleToStart => "ScheduleToStart",
        TimeoutType.ScheduleToClose => "ScheduleToClose",
        _ => "Heartbeat",
    };

    /// <summary>Ends the attempt and queues the next one after <paramref name="delay"/> (no history event, as in Temporal).</summary>
    private RetryState Retry(Execution x, ActivityInfo a, Failure failure, TimeSpan delay, Mutation m)
    {
        a.EndAttempt(Clock);
        a.LastFailure = failure;
        a.Attempt++;
        a.AttemptScheduledTime = Clock.UtcNow + delay;
        m.Touch(x);
        ArmActivityAttempt(x, a);
        return RetryState.InProgress;
    }

    /// <summary>The ActivityTaskStarted event, which Temporal writes only when the attempt ends.</summary>
    private long AddActivityStarted(Execution x, ActivityInfo a, Mutation m)
    {
        var e = NewEvent(EventType.ActivityTaskStarted);
        e.EventTime = Timestamp.FromDateTime(a.StartedTime ?? Clock.UtcNow);
        e.ActivityTaskStartedEventAttributes = new ActivityTaskStartedEventAttributes
        {
            ScheduledEventId = a.ScheduledEventId,
            Identity = a.StartedIdentity,
            RequestId = a.StartRequestId,
            Attempt = a.Attempt,
            LastFailure = a.LastFailure,
        };
        return AddExternal(x, e, m, scheduleTask: false);
    }

    private bool RequestCancelActivity(Execution x, long scheduledEventId, long completedId, Mutation m)
    {
        if (!x.Activities.TryGetValue(scheduledEventId, out var a))
        {
            return false;
        }
        var requested = NewEvent(EventType.ActivityTaskCancelRequested);
        requested.ActivityTaskCancelRequestedEventAttributes = new ActivityTaskCancelRequestedEventAttributes { ScheduledEventId = scheduledEventId, WorkflowTaskCompletedEventId = completedId };
        var requestedId = Append(x, requested, m);
        if (a.IsStarted)
        {
            return false;
        }
        var canceled = NewEvent(EventType.ActivityTaskCanceled);
        canceled.ActivityTaskCanceledEventAttributes = new ActivityTaskCanceledEventAttributes { ScheduledEventId = scheduledEventId, LatestCancelRequestedEventId = requestedId };
        Append(x, canceled, m);
        return true;
    }

    public async Task<PollActivityTaskQueueResponse> PollActivityTaskAsync(PollActivityTaskQueueRequest request, CancellationToken cancellationToken)
    {
        var ns = GetNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
        var queue = Queues.Get(ns.Name, request.TaskQueue.Name, TaskQueueType.Activity);
        var task = await queue.PollAsync(request.Identity, PollHold, item => TryStartActivity((ActivityTaskRef)item, request.Identity), Stopping, cancellationToken);
        return task ?? new PollActivityTaskQueueResponse();
    }

    private PollActivityTaskQueueResponse? TryStartActivity(ActivityTaskRef reference, string identity)
    {
        var x = reference.Execution;
        return Mutate(x.Chain, m =>
        {
            if (!x.IsRunning || !x.Activities.TryGetValue(reference.ScheduledEventId, out var a) || a.Attempt != reference.Attempt || a.IsStarted)
            {
                return null;
            }
            a.WaitTimer?.Cancel();
            a.Start(Clock, identity, Guid.NewGuid().ToString());
            m.Touch(x);
            ArmStartedActivity(x, a);
            var attributes = a.Attributes;
            return new PollActivityTaskQueueResponse
            {
                TaskToken = new TaskToken(TaskTokenKind.Activity, x.Namespace.Name, x.WorkflowId, x.RunId, a.ScheduledEventId, a.Attempt).ToByteString(),
                WorkflowNamespace = x.Namespace.Name,
                WorkflowType = x.Started.WorkflowType,
                WorkflowExecution = new WorkflowExecution { WorkflowId = x.WorkflowId, RunId = x.RunId },
                ActivityType = attributes.ActivityType,
                ActivityId = attributes.ActivityId,
                Header = attributes.Header,
                Input = attributes.Input,
                HeartbeatDetails = a.HeartbeatDetails,
                ScheduledTime = Timestamp.FromDateTime(a.ScheduledTime),
                CurrentAttemptScheduledTime = Timestamp.FromDateTime(a.AttemptScheduledTime),
                StartedTime = Timestamp.FromDateTime(a.StartedTime!.Value),
                Attempt = a.Attempt,
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
        var ns = GetNamespace(token.Namespace);
        if (!ns.Chains.TryGetValue(token.WorkflowId, out var chain))
        {
            throw TemporalErrors.NotFound("Activity task not found.");
        }
        return MutateAsync(chain, m =>
        {
            var x = chain.Find(token.RunId);
            if (x is not { IsRunning: true } || !x.Activities.TryGetValue(token.EventId, out var a) || a.Attempt != token.Attempt || !a.IsStarted)
            {
                throw TemporalErrors.NotFound("Activity task not found.");
            }
            return action(x, a, m);
        });
    }

    /// <summary>The same for the by-id calls: the activity's current attempt, which must be started.</summary>
    private Task<T> WithActivityById<T>(string nsName, string workflowId, string runId, string activityId, Func<Execution, ActivityInfo, Mutation, T> action)
    {
        var chain = GetChain(GetNamespace(nsName), workflowId);
        return MutateAsync(chain, m =>
        {
            var x = GetRun(chain, runId);
            var a = x.IsRunning ? x.Activities.Values.FirstOrDefault(v => v.Attributes.ActivityId == activityId) : null;
            if (a is not { IsStarted: true })
            {
                throw TemporalErrors.NotFound("Activity task not found.");
            }
            return action(x, a, m);
        });
    }

    public Task<IMessage> CompleteActivityAsync(RespondActivityTaskCompletedRequest r) =>
        WithActivityByToken(r.TaskToken, (x, a, m) => CompleteActivity(x, a, r.Result, r.Identity, m, new RespondActivityTaskCompletedResponse()));

    public Task<IMessage> CompleteActivityByIdAsync(RespondActivityTaskCompletedByIdRequest r) =>
        WithActivityById(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId, (x, a, m) => CompleteActivity(x, a, r.Result, r.Identity, m, new RespondActivityTaskCompletedByIdResponse()));

    public Task<IMessage> FailActivityAsync(RespondActivityTaskFailedRequest r) =>
        WithActivityByToken(r.TaskToken, (x, a, m) => FailActivity(x, a, r.Failure, r.LastHeartbeatDetails, r.Identity, m, new RespondActivityTaskFailedResponse()));

    public Task<IMessage> FailActivityByIdAsync(RespondActivityTaskFailedByIdRequest r) =>
        WithActivityById(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId, (x, a, m) => FailActivity(x, a, r.Failure, r.LastHeartbeatDetails, r.Identity, m, new RespondActivityTaskFailedByIdResponse()));

    public Task<IMessage> CancelActivityAsync(RespondActivityTaskCanceledRequest r) =>
        WithActivityByToken(r.TaskToken, (x, a, m) => CancelActivity(x, a, r.Details, r.Identity, m, new RespondActivityTaskCanceledResponse()));

    public Task<IMessage> CancelActivityByIdAsync(RespondActivityTaskCanceledByIdRequest r) =>
        WithActivityById(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId, (x, a, m) => CancelActivity(x, a, r.Details, r.Identity, m, new RespondActivityTaskCanceledByIdResponse()));

    public Task<IMessage> HeartbeatAsync(RecordActivityTaskHeartbeatRequest r) =>
        WithActivityByToken(r.TaskToken, (x, a, m) => (IMessage)new RecordActivityTaskHeartbeatResponse { CancelRequested = Heartbeat(x, a, r.Details, m) });

    public Task<IMessage> HeartbeatByIdAsync(RecordActivityTaskHeartbeatByIdRequest r) =>
        WithActivityById(r.Namespace, r.WorkflowId, r.RunId, r.ActivityId, (x, a, m) => (IMessage)new RecordActivityTaskHeartbeatByIdResponse { CancelRequested = Heartbeat(x, a, r.Details, m) });

    private bool Heartbeat(Execution x, ActivityInfo a, Payloads? details, Mutation m)
    {
        if (details is not null)
        {
            a.HeartbeatDetails = details;
        }
        a.LastHeartbeatTime = Clock.UtcNow;
        m.Touch(x);
        ArmHeartbeatTimeout(x, a);
        return a.CancelRequested;
    }

    private IMessage CompleteActivity(Execution x, ActivityInfo a, Payloads? result, string identity, Mutation m, IMessage response)
    {
        var e = NewEvent(EventType.ActivityTaskCompleted);
        e.ActivityTaskCompletedEventAttributes = new ActivityTaskCompletedEventAttributes
        {
            Result = result,
            ScheduledEventId = a.ScheduledEventId,
            StartedEventId = AddActivityStarted(x, a, m),
            Identity = identity,
        };
        AddExternal(x, e, m);
        return response;
    }

    private IMessage FailActivity(Execution x, ActivityInfo a, Failure failure, Payloads? lastHeartbeat, string identity, Mutation m, IMessage response)
    {
        if (lastHeartbeat is not null)
        {
            a.HeartbeatDetails = lastHeartbeat;
        }
        var state = RetryPolicies.Decide(a, failure, Clock.UtcNow, out var delay);
        if (state == RetryState.InProgress)
        {
            Retry(x, a, failure, delay, m);
            return response;
        }
        var e = NewEvent(EventType.ActivityTaskFailed);
        e.ActivityTaskFailedEventAttributes = new ActivityTaskFailedEventAttributes
        {
            Failure = failure,
            ScheduledEventId = a.ScheduledEventId,
            StartedEventId = AddActivityStarted(x, a, m),
            Identity = identity,
            RetryState = state,
        };
        AddExternal(x, e, m);
        return response;
    }

    private IMessage CancelActivity(Execution x, ActivityInfo a, Payloads? details, string identity, Mutation m, IMessage response)
    {
        var requested = x.History.LastOrDefault(h => h.ActivityTaskCancelRequestedEventAttributes?.ScheduledEventId == a.ScheduledEventId);
        var e = NewEvent(EventType.ActivityTaskCanceled);
        e.ActivityTaskCanceledEventAttributes = new ActivityTaskCanceledEventAttributes
        {
            Details = details,
            LatestCancelRequestedEventId = requested?.EventId ?? 0,
            ScheduledEventId = a.ScheduledEventId,
            StartedEventId = AddActivityStarted(x, a, m),
            Identity = identity,
        };
        AddExternal(x, e, m);
        return response;
    }
}

/// <summary>Temporal's activity retry rules.</summary>
internal static class RetryPolicies
{
    /// <summary>The server-side defaults Temporal fills into an activity's retry policy.</summary>
    public static RetryPolicy WithDefaults(RetryPolicy? policy)
    {
        var filled = policy?.Clone() ?? new RetryPolicy();
        var initial = filled.InitialInterval.ToTimeSpanOrZero();
        if (initial <= TimeSpan.Zero)
        {
            initial = TimeSpan.FromSeconds(1);
            filled.InitialInterval = Duration.FromTimeSpan(initial);
        }
        if (filled.BackoffCoefficient < 1)
        {
            filled.BackoffCoefficient = 2;
        }
        if (filled.MaximumInterval.ToTimeSpanOrZero() <= TimeSpan.Zero)
        {
            filled.MaximumInterval = Duration.FromTimeSpan(initial * 100);
        }
        return filled;
    }

    /// <summary>InProgress with the delay before the next attempt, or why there is none.</summary>
    public static RetryState Decide(ActivityInfo a, Failure failure, DateTime now, out TimeSpan delay) =>
        Decide(a.Attributes.RetryPolicy ?? WithDefaults(null), a.Attempt, failure, now, a.ScheduleToCloseDeadline, out delay);

    /// <summary>The same rules for any attempt (activities, and workflows that have a retry policy).</summary>
    public static RetryState Decide(RetryPolicy policy, int attempt, Failure failure, DateTime now, DateTime deadline, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var application = failure.ApplicationFailureInfo;
        if (application is not null && (application.NonRetryable || policy.NonRetryableErrorTypes.Contains(application.Type)))
        {
            return RetryState.NonRetryableFailure;
        }
        if (policy.MaximumAttempts > 0 && attempt >= policy.MaximumAttempts)
        {
            return RetryState.MaximumAttemptsReached;
        }
        var backoff = policy.InitialInterval.ToTimeSpanOrZero() * Math.Pow(policy.BackoffCoefficient, attempt - 1);
        var maximum = policy.MaximumInterval.ToTimeSpanOrZero();
        delay = application?.NextRetryDelay is { } next && next.ToTimeSpan() > TimeSpan.Zero ? next.ToTimeSpan()
            : maximum > TimeSpan.Zero && backoff > maximum ? maximum : backoff;
        return now + delay >= deadline ? RetryState.Timeout : RetryState.InProgress;
    }
}
