using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.ErrorDetails.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.WorkflowService.V1;
using Payments.DevServer.Visibility;

namespace Payments.DevServer.Engine;

/// <summary>
/// Activities a client starts without a workflow (StartActivityExecution and the calls around it): each run queued on
/// its task queue like a workflow's activity, started by the same polls, ended by the worker (by task token), a timeout,
/// a cancel or a terminate; retried by its retry policy. Held in memory only, one gate for all of them.
/// </summary>
internal sealed partial class StandaloneActivities(TemporalEngine engine)
{
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<(string Namespace, string ActivityId), StandaloneActivity> _current = new();
    private readonly List<StandaloneActivity> _all = [];

    public async Task<StartActivityExecutionResponse> StartAsync(StartActivityExecutionRequest request)
    {
        var ns = engine.GetNamespace(request.Namespace);
        Validate(request);
        engine.Blobs.Check(request.Input, "activity input", request.ActivityId);
        Task durable;
        StandaloneActivity activity;
        lock (_gate)
        {
            if (_current.TryGetValue((ns.Name, request.ActivityId), out var existing))
            {
                if (request.RequestId.Length > 0 && existing.Request.RequestId == request.RequestId)
                {
                    return new StartActivityExecutionResponse { RunId = existing.RunId, Started = true };
                }
                if (existing.IsRunning && request.IdConflictPolicy == ActivityIdConflictPolicy.UseExisting)
                {
                    return new StartActivityExecutionResponse { RunId = existing.RunId, Started = false };
                }
                var reuseRefused = request.IdReusePolicy == ActivityIdReusePolicy.RejectDuplicate
                    || (request.IdReusePolicy == ActivityIdReusePolicy.AllowDuplicateFailedOnly && existing.Status == ActivityExecutionStatus.Completed);
                if (existing.IsRunning || reuseRefused)
                {
                    throw AlreadyStarted(existing);
                }
            }
            activity = new StandaloneActivity(ns.Name, request, RetryPolicies.WithDefaults(request.RetryPolicy), engine.Clock.UtcNow);
            Add(activity);
            QueueAttempt(activity, engine.Clock.UtcNow + request.StartDelay.ToTimeSpanOrZero());
            durable = Persist(activity);
        }
        await durable;
        return new StartActivityExecutionResponse { RunId = activity.RunId, Started = true };
    }

    /// <summary>Takes a run in (started now, or restored) and arms its schedule-to-close deadline. Call under the gate.</summary>
    private void Add(StandaloneActivity activity)
    {
        if (_current.GetValueOrDefault((activity.Namespace, activity.Request.ActivityId)) is not { } newer || newer.ScheduleTime <= activity.ScheduleTime)
        {
            _current[(activity.Namespace, activity.Request.ActivityId)] = activity;
        }
        _all.Add(activity);
        if (activity.IsRunning && activity.Deadline != DateTime.MaxValue)
        {
            activity.ScheduleToCloseTimer = engine.Clock.Schedule(activity.Deadline, () => OnTimeout(activity, activity.Attempt, TimeoutType.ScheduleToClose));
        }
    }

    /// <summary>
    /// After a restart of the durable mode: the stored runs come back; a waiting attempt is queued again (unless paused),
    /// a started one keeps its timeouts, as its worker may still be running it.
    /// </summary>
    public void Restore(IEnumerable<StandaloneActivity> stored)
    {
        lock (_gate)
        {
            foreach (var activity in stored)
            {
                Add(activity);
                if (!activity.IsRunning)
                {
                    continue;
                }
                if (activity.IsStarted)
                {
                    ArmStarted(activity);
                }
                else if (!activity.IsPaused)
                {
                    QueueAttempt(activity, activity.AttemptScheduledTime > engine.Clock.UtcNow ? activity.AttemptScheduledTime : engine.Clock.UtcNow);
                }
            }
        }
    }

    /// <summary>Writes the run's state (durable mode), in the order of the changes; callers that answer a client wait for it.</summary>
    private Task Persist(StandaloneActivity activity)
    {
        if (engine.Store is not { } store)
        {
            return Task.CompletedTask;
        }
        // A failed write is logged by the store's writer.
        return store.WriteStandaloneActivityAsync(activity.Namespace, activity.RunId, activity.Request.ActivityId, Storage.StandaloneActivityState.Write(activity));
    }

    private static void Validate(StartActivityExecutionRequest request)
    {
        if (string.IsNullOrEmpty(request.ActivityId))
        {
            throw TemporalErrors.InvalidArgument("ActivityId is not set on request.");
        }
        if (string.IsNullOrEmpty(request.ActivityType?.Name))
        {
            throw TemporalErrors.InvalidArgument("ActivityType is not set on request.");
        }
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
        if (request.StartToCloseTimeout.ToTimeSpanOrZero() <= TimeSpan.Zero && request.ScheduleToCloseTimeout.ToTimeSpanOrZero() <= TimeSpan.Zero)
        {
            throw TemporalErrors.InvalidArgument("A valid StartToClose or ScheduleToCloseTimeout is not set on request.");
        }
    }

    private static Grpc.Core.RpcException AlreadyStarted(StandaloneActivity existing) => TemporalErrors.WithDetail(
        Grpc.Core.StatusCode.AlreadyExists,
        $"Activity execution is already running. ActivityId: {existing.Request.ActivityId}, RunId: {existing.RunId}.",
        new ActivityExecutionAlreadyStartedFailure { StartRequestId = existing.Request.RequestId, RunId = existing.RunId });

    /// <summary>Queues the current attempt at <paramref name="when"/>, with its schedule-to-start timeout. Call under the gate.</summary>
    private void QueueAttempt(StandaloneActivity activity, DateTime when)
    {
        var attempt = activity.Attempt;
        activity.AttemptScheduledTime = when;
        if (when > engine.Clock.UtcNow)
        {
            activity.AttemptTimer = engine.Clock.Schedule(when, () =>
            {
                lock (_gate)
                {
                    if (activity.IsRunning && activity.Attempt == attempt && !activity.IsStarted)
                    {
                        QueueAttempt(activity, engine.Clock.UtcNow);
                    }
                }
            });
            return;
        }
        engine.Queues.Get(activity.Namespace, activity.Request.TaskQueue.Name, TaskQueueType.Activity).Add(new StandaloneActivityTaskRef(activity, attempt));
        var scheduleToStart = activity.Request.ScheduleToStartTimeout.ToTimeSpanOrZero();
        if (scheduleToStart > TimeSpan.Zero)
        {
            activity.AttemptTimer = engine.Clock.Schedule(when + scheduleToStart, () => OnTimeout(activity, attempt, TimeoutType.ScheduleToStart));
        }
    }

    /// <summary>A poll took the attempt: the task the worker runs, or null when that attempt is over.</summary>
    public PollActivityTaskQueueResponse? TryStart(StandaloneActivityTaskRef reference, string identity)
    {
        var activity = reference.Activity;
        lock (_gate)
        {
            if (!activity.IsRunning || activity.Attempt != reference.Attempt || activity.IsStarted || activity.IsPaused)
            {
                return null;
            }
            activity.AttemptTimer?.Cancel();
            activity.IsStarted = true;
            activity.StartedTime = engine.Clock.UtcNow;
            activity.WorkerIdentity = identity;
            ArmStarted(activity);
            activity.NotifyChanged();
            Persist(activity);
            var request = activity.Request;
            return new PollActivityTaskQueueResponse
            {
                TaskToken = Token(activity).ToByteString(),
                WorkflowNamespace = activity.Namespace,
                ActivityId = request.ActivityId,
                ActivityRunId = activity.RunId,
                ActivityType = request.ActivityType,
                Header = request.Header,
                Input = request.Input,
                HeartbeatDetails = activity.HeartbeatDetails,
                ScheduledTime = Timestamp.FromDateTime(activity.ScheduleTime),
                CurrentAttemptScheduledTime = Timestamp.FromDateTime(activity.AttemptScheduledTime),
                StartedTime = Timestamp.FromDateTime(activity.StartedTime.Value),
                Attempt = activity.Attempt,
                ScheduleToCloseTimeout = request.ScheduleToCloseTimeout,
                StartToCloseTimeout = Duration.FromTimeSpan(activity.StartToClose),
                HeartbeatTimeout = request.HeartbeatTimeout,
                RetryPolicy = activity.RetryPolicy,
                Priority = request.Priority,
            };
        }
    }

    private static TaskToken Token(StandaloneActivity activity) =>
        new(TaskTokenKind.StandaloneActivity, activity.Namespace, activity.Request.ActivityId, activity.RunId, 0, activity.Attempt);

    /// <summary>The started attempt's start-to-close and heartbeat timeouts.</summary>
    private void ArmStarted(StandaloneActivity activity)
    {
        var attempt = activity.Attempt;
        activity.AttemptTimer = engine.Clock.Schedule(activity.StartedTime!.Value + activity.StartToClose, () => OnTimeout(activity, attempt, TimeoutType.StartToClose));
        ArmHeartbeat(activity);
    }

    private void ArmHeartbeat(StandaloneActivity activity)
    {
        var heartbeat = activity.Request.HeartbeatTimeout.ToTimeSpanOrZero();
        activity.HeartbeatTimer?.Cancel();
        if (heartbeat > TimeSpan.Zero)
        {
            var attempt = activity.Attempt;
            var last = activity.LastHeartbeatTime is { } beat && beat > activity.StartedTime!.Value ? beat : activity.StartedTime!.Value;
            activity.HeartbeatTimer = engine.Clock.Schedule(last + heartbeat, () => OnTimeout(activity, attempt, TimeoutType.Heartbeat));
        }
    }

    private void OnTimeout(StandaloneActivity activity, int attempt, TimeoutType timeoutType)
    {
        lock (_gate)
        {
            var attemptLevel = timeoutType != TimeoutType.ScheduleToClose;
            if (!activity.IsRunning || (attemptLevel && (activity.Attempt != attempt || activity.IsStarted != (timeoutType != TimeoutType.ScheduleToStart))))
            {
                return;
            }
            var failure = new Failure
            {
                Message = $"activity {timeoutType} timeout",
                TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = timeoutType, LastHeartbeatDetails = activity.HeartbeatDetails },
            };
            if (timeoutType is TimeoutType.StartToClose or TimeoutType.Heartbeat)
            {
                EndAttempt(activity, failure, ActivityExecutionStatus.TimedOut);
            }
            else
            {
                activity.Close(ActivityExecutionStatus.TimedOut, new ActivityExecutionOutcome { Failure = failure }, engine.Clock.UtcNow);
            }
            Persist(activity);
        }
    }

    /// <summary>A failed or timed-out attempt: the next one after the retry policy's backoff, or the run closes with <paramref name="closing"/>.</summary>
    private void EndAttempt(StandaloneActivity activity, Failure failure, ActivityExecutionStatus closing)
    {
        var retryState = RetryPolicies.Decide(activity.RetryPolicy, activity.Attempt, failure, engine.Clock.UtcNow, activity.Deadline, out var delay);
        activity.AttemptTimer?.Cancel();
        activity.HeartbeatTimer?.Cancel();
        if (retryState != RetryState.InProgress)
        {
            activity.Close(closing, new ActivityExecutionOutcome { Failure = failure }, engine.Clock.UtcNow);
            return;
        }
        activity.IsStarted = false;
        activity.LastFailure = failure;
        activity.Attempt++;
        activity.NotifyChanged();
        if (!activity.IsPaused)
        {
            QueueAttempt(activity, engine.Clock.UtcNow + delay);
        }
    }

    /// <summary>Runs <paramref name="action"/> on the started attempt a worker's token names; NotFound when that attempt is over.</summary>
    public async Task<IMessage> WithStartedAttempt(ByteString taskToken, Func<StandaloneActivity, IMessage> action)
    {
        var token = TaskToken.Parse(taskToken, TaskTokenKind.StandaloneActivity);
        IMessage response;
        Task durable;
        lock (_gate)
        {
            if (!_current.TryGetValue((token.Namespace, token.WorkflowId), out var activity) || activity.RunId != token.RunId
                || !activity.IsRunning || !activity.IsStarted || activity.Attempt != token.Attempt)
            {
                throw TemporalErrors.NotFound("Activity task not found.");
            }
            response = action(activity);
            durable = Persist(activity);
        }
        await durable;
        return response;
    }

    public IMessage Complete(StandaloneActivity activity, Payloads? result, IMessage response)
    {
        if (!engine.Blobs.Fits(result, "activity result", activity.Request.ActivityId))
        {
            return Fail(activity, new Failure { Message = "Complete result exceeds size limit.", ServerFailureInfo = new ServerFailureInfo { NonRetryable = true } }, response);
        }
        activity.Close(ActivityExecutionStatus.Completed, new ActivityExecutionOutcome { Result = result ?? new Payloads() }, engine.Clock.UtcNow);
        return response;
    }

    public IMessage Fail(StandaloneActivity activity, Failure failure, IMessage response)
    {
        EndAttempt(activity, failure, ActivityExecutionStatus.Failed);
        return response;
    }

    public IMessage Canceled(StandaloneActivity activity, Payloads? details, IMessage response)
    {
        if (activity.IsPaused && !activity.CancelRequested)
        {
            // The worker gave up the attempt because of the pause (the SDK cancels it): the next one waits for the unpause.
            EndAttempt(activity, new Failure { Message = "Activity paused", CanceledFailureInfo = new CanceledFailureInfo { Details = details } }, ActivityExecutionStatus.Canceled);
            return response;
        }
        var canceled = new Failure { Message = activity.CancelReason.Length > 0 ? activity.CancelReason : "Activity canceled", CanceledFailureInfo = new CanceledFailureInfo { Details = details } };
        activity.Close(ActivityExecutionStatus.Canceled, new ActivityExecutionOutcome { Failure = canceled }, engine.Clock.UtcNow);
        return response;
    }

    /// <summary>Records a heartbeat; the answer tells the worker of a cancel or a pause.</summary>
    public RecordActivityTaskHeartbeatResponse Heartbeat(StandaloneActivity activity, Payloads? details)
    {
        activity.HeartbeatDetails = details ?? activity.HeartbeatDetails;
        activity.LastHeartbeatTime = engine.Clock.UtcNow;
        activity.HeartbeatCount++;
        ArmHeartbeat(activity);
        return new RecordActivityTaskHeartbeatResponse { CancelRequested = activity.CancelRequested, ActivityPaused = activity.IsPaused };
    }

    /// <summary>
    /// An operator's pause, as Temporal's: a waiting attempt is not dispatched (its schedule-to-start wait stops; the
    /// schedule-to-close deadline runs on); a running one learns it from its heartbeats and its end waits, not retried,
    /// for the unpause. The same request id again changes nothing.
    /// </summary>
    public Task<PauseActivityExecutionResponse> PauseAsync(PauseActivityExecutionRequest request) => ChangeAsync(request.Namespace, request.ActivityId, request.RunId, activity =>
    {
        if (request.RequestId.Length > 0 && activity.Pause?.RequestId == request.RequestId)
        {
            return new PauseActivityExecutionResponse();
        }
        if (!activity.IsRunning || activity.IsPaused || activity.CancelRequested)
        {
            throw TemporalErrors.FailedPrecondition($"activity is in non-pausable state {PauseState(activity)}");
        }
        activity.Pause = new ActivityPause(engine.Clock.UtcNow, request.Identity, request.Reason, request.RequestId);
        if (!activity.IsStarted)
        {
            activity.AttemptTimer?.Cancel();
        }
        activity.NotifyChanged();
        return new PauseActivityExecutionResponse();
    });

    /// <summary>Lifts a pause: a waiting attempt is queued at once, or after a random part of <c>jitter</c>; a running one just goes on.</summary>
    public Task<UnpauseActivityExecutionResponse> UnpauseAsync(UnpauseActivityExecutionRequest request) => ChangeAsync(request.Namespace, request.ActivityId, request.RunId, activity =>
    {
        if (!activity.IsRunning || !activity.IsPaused)
        {
            throw TemporalErrors.FailedPrecondition($"activity is in non-unpausable state {PauseState(activity)}");
        }
        activity.Pause = null;
        if (!activity.IsStarted)
        {
            var jitter = request.Jitter.ToTimeSpanOrZero();
            QueueAttempt(activity, engine.Clock.UtcNow + (jitter > TimeSpan.Zero ? jitter * Random.Shared.NextDouble() : TimeSpan.Zero));
        }
        activity.NotifyChanged();
        return new UnpauseActivityExecutionResponse();
    });

    private static string PauseState(StandaloneActivity activity) =>
        !activity.IsRunning ? activity.Status.ToString() : activity.CancelRequested ? "CancelRequested" : activity.IsPaused ? "Paused" : "Running";

    /// <summary>As Temporal: terminates the run if it still runs, then forgets it (describe answers NotFound; its id is free again).</summary>
    public async Task<DeleteActivityExecutionResponse> DeleteAsync(DeleteActivityExecutionRequest request)
    {
        Task durable;
        lock (_gate)
        {
            var activity = Find(request.Namespace, request.ActivityId, request.RunId);
            if (activity.IsRunning)
            {
                var terminated = new Failure { Message = "Delete activity execution", TerminatedFailureInfo = new TerminatedFailureInfo() };
                activity.Close(ActivityExecutionStatus.Terminated, new ActivityExecutionOutcome { Failure = terminated }, engine.Clock.UtcNow);
            }
            _all.Remove(activity);
            _current.TryRemove(new KeyValuePair<(string, string), StandaloneActivity>((activity.Namespace, activity.Request.ActivityId), activity));
            durable = engine.Store?.WriteStandaloneActivityAsync(activity.Namespace, activity.RunId, activity.Request.ActivityId, null) ?? Task.CompletedTask;
        }
        await durable;
        return new DeleteActivityExecutionResponse();
    }

    /// <summary>Runs a client's change to one run under the gate; answers once that run is stored (durable mode).</summary>
    private async Task<T> ChangeAsync<T>(string ns, string activityId, string runId, Func<StandaloneActivity, T> change)
    {
        T answer;
        Task durable;
        lock (_gate)
        {
            var activity = Find(ns, activityId, runId);
            answer = change(activity);
            durable = Persist(activity);
        }
        await durable;
        return answer;
    }

    public Task<RequestCancelActivityExecutionResponse> RequestCancelAsync(RequestCancelActivityExecutionRequest request) => ChangeAsync(request.Namespace, request.ActivityId, request.RunId, activity =>
    {
        if (!activity.IsRunning || activity.CancelRequested)
        {
            return new RequestCancelActivityExecutionResponse();
        }
        activity.CancelRequested = true;
        activity.CancelReason = request.Reason;
        if (!activity.IsStarted)
        {
            // No worker has it: cancelled at once, as a workflow's activity not yet started.
            Canceled(activity, null, new RequestCancelActivityExecutionResponse());
        }
        activity.NotifyChanged();
        return new RequestCancelActivityExecutionResponse();
    });

    public Task<TerminateActivityExecutionResponse> TerminateAsync(TerminateActivityExecutionRequest request) => ChangeAsync(request.Namespace, request.ActivityId, request.RunId, activity =>
    {
        if (!activity.IsRunning)
        {
            throw TemporalErrors.NotFound("activity execution already completed");
        }
        var terminated = new Failure { Message = request.Reason, TerminatedFailureInfo = new TerminatedFailureInfo() };
        activity.Close(ActivityExecutionStatus.Terminated, new ActivityExecutionOutcome { Failure = terminated }, engine.Clock.UtcNow);
        return new TerminateActivityExecutionResponse();
    });

    public async Task<DescribeActivityExecutionResponse> DescribeAsync(DescribeActivityExecutionRequest request, CancellationToken cancellationToken)
    {
        StandaloneActivity activity;
        lock (_gate)
        {
            activity = Find(request.Namespace, request.ActivityId, request.RunId);
        }
        // A long-poll token that is still current waits for the next change (or the poll hold).
        if (!request.LongPollToken.IsEmpty && BitConverter.ToInt64(request.LongPollToken.Span) == activity.Version)
        {
            await WaitForChangeAsync(activity, activity.Changed, cancellationToken);
        }
        lock (_gate)
        {
            var response = new DescribeActivityExecutionResponse
            {
                RunId = activity.RunId,
                Info = activity.Info(),
                LongPollToken = ByteString.CopyFrom(BitConverter.GetBytes(activity.Version)),
            };
            if (request.IncludeInput)
            {
                response.Input = activity.Request.Input;
            }
            if (request.IncludeOutcome && activity.Outcome is { } outcome)
            {
                response.Outcome = outcome;
            }
            return response;
        }
    }

    /// <summary>Waits for the run to close (or the poll hold): the response carries its outcome once there is one.</summary>
    public async Task<PollActivityExecutionResponse> PollAsync(PollActivityExecutionRequest request, CancellationToken cancellationToken)
    {
        StandaloneActivity activity;
        lock (_gate)
        {
            activity = Find(request.Namespace, request.ActivityId, request.RunId);
        }
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, engine.Stopping);
        hold.CancelAfter(TemporalEngine.PollHold);
        while (activity.IsRunning && !hold.IsCancellationRequested)
        {
            await WaitForChangeAsync(activity, activity.Changed, hold.Token);
        }
        cancellationToken.ThrowIfCancellationRequested();
        return new PollActivityExecutionResponse { RunId = activity.RunId, Outcome = activity.Outcome };
    }

    private static async Task WaitForChangeAsync(StandaloneActivity activity, Task changed, CancellationToken cancellationToken)
    {
        if (activity.IsRunning)
        {
            await Task.WhenAny(changed, Task.Delay(TemporalEngine.PollHold, cancellationToken));
        }
    }

    public ListActivityExecutionsResponse List(ListActivityExecutionsRequest request)
    {
        var response = new ListActivityExecutionsResponse();
        response.Executions.AddRange(Matching(request.Namespace, request.Query).OrderByDescending(activity => activity.ScheduleTime).Select(activity => activity.ListInfo()));
        return response;
    }

    public CountActivityExecutionsResponse Count(CountActivityExecutionsRequest request) =>
        new() { Count = Matching(request.Namespace, request.Query).Count };

    /// <summary>The namespace's runs that pass the query, which speaks the workflow list's language with ActivityId and ActivityType.</summary>
    private List<StandaloneActivity> Matching(string nsName, string query)
    {
        var ns = engine.GetNamespace(nsName);
        var translated = ActivityFields().Replace(query ?? "", match => match.Value == "ActivityId" ? "WorkflowId" : "WorkflowType");
        var filter = VisibilityQuery.Parse(translated, ns.SearchAttributes);
        lock (_gate)
        {
            return _all.Where(activity => activity.Namespace == ns.Name && filter.Matches(activity.VisibilityInfo())).ToList();
        }
    }

    private StandaloneActivity Find(string nsName, string activityId, string runId)
    {
        var ns = engine.GetNamespace(nsName);
        var found = string.IsNullOrEmpty(runId)
            ? _current.GetValueOrDefault((ns.Name, activityId ?? ""))
            : _all.FirstOrDefault(activity => activity.Namespace == ns.Name && activity.RunId == runId && activity.Request.ActivityId == activityId);
        return found ?? throw TemporalErrors.NotFound($"activity execution not found for activity ID \"{activityId}\" and run ID \"{runId}\"");
    }

    [GeneratedRegex(@"\bActivity(Id|Type)\b")]
    private static partial Regex ActivityFields();
}
