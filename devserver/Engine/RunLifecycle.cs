using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Sdk.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>What a start asks for, whatever the entry (start call, signal-with-start, child command).</summary>
internal sealed record StartSpec(
    WorkflowExecutionStartedEventAttributes Attributes,
    string RequestId,
    WorkflowIdReusePolicy ReusePolicy,
    WorkflowIdConflictPolicy ConflictPolicy,
    TimeSpan StartDelay,
    HistoryEvent? Signal = null)
{
    /// <summary>The workflow's static summary and details, kept on its started event as Temporal does.</summary>
    public UserMetadata? Metadata { get; init; }
}

internal sealed record StartOutcome(Execution Run, bool Started);

/// <summary>
/// A run from start to close: start (reuse and conflict policies, request-id dedup), the first workflow task, run and
/// execution timeouts, terminate, cancel requests, fail (with the workflow retry policy), continue-as-new, and the
/// close that tells the parent and applies the parent close policy to the children.
/// </summary>
internal sealed class RunLifecycle(TemporalEngine engine)
{
    private static readonly TimeSpan DefaultWorkflowTaskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxWorkflowTaskTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Raised (once the workflow's lock is released, before virtual time moves on) when a chain ends for good.</summary>
    public event Action<Execution, HistoryEvent>? ChainClosed;

    public async Task<StartWorkflowExecutionResponse> StartAsync(StartWorkflowExecutionRequest request)
    {
        var spec = Spec(request);
        var chain = engine.GetNamespace(request.Namespace).GetOrAddChain(request.WorkflowId);
        var outcome = await engine.MutateAsync(chain, mutation => StartRun(chain, spec, mutation));
        return Response(outcome);
    }

    /// <summary>What a start call asks for, once its required fields are there.</summary>
    public StartSpec Spec(StartWorkflowExecutionRequest request)
    {
        engine.GetNamespace(request.Namespace);
        ValidateStart(request.WorkflowId, request.WorkflowType, request.TaskQueue);
        engine.Blobs.Check(request.Input, "workflow input", request.WorkflowId);
        engine.Blobs.CheckMemo(request.Memo, request.WorkflowId);
        return new StartSpec(StartedAttributes(request), request.RequestId, request.WorkflowIdReusePolicy, request.WorkflowIdConflictPolicy, request.WorkflowStartDelay.ToTimeSpanOrZero())
        {
            Metadata = request.UserMetadata,
        };
    }

    public static StartWorkflowExecutionResponse Response(StartOutcome outcome) =>
        new() { RunId = outcome.Run.RunId, Started = outcome.Started, Status = outcome.Run.Status };

    public async Task<SignalWithStartWorkflowExecutionResponse> SignalWithStartAsync(SignalWithStartWorkflowExecutionRequest request)
    {
        var ns = engine.GetNamespace(request.Namespace);
        ValidateStart(request.WorkflowId, request.WorkflowType, request.TaskQueue);
        engine.Blobs.Check(request.Input, "workflow input", request.WorkflowId);
        engine.Blobs.Check(request.SignalInput, "signal input", request.WorkflowId);
        engine.Blobs.CheckMemo(request.Memo, request.WorkflowId);
        var chain = ns.GetOrAddChain(request.WorkflowId);
        var outcome = await engine.MutateAsync(chain, mutation =>
        {
            var signal = engine.Events.WorkflowExecutionSignaled(request.SignalName, request.SignalInput, request.Identity, request.Header, request.RequestId);
            if (chain.Current is { IsRunning: true } current)
            {
                engine.History.AddExternal(current, signal, mutation);
                return new StartOutcome(current, false);
            }
            var start = new StartWorkflowExecutionRequest
            {
                WorkflowType = request.WorkflowType, TaskQueue = request.TaskQueue, Input = request.Input, WorkflowExecutionTimeout = request.WorkflowExecutionTimeout,
                WorkflowRunTimeout = request.WorkflowRunTimeout, WorkflowTaskTimeout = request.WorkflowTaskTimeout, Identity = request.Identity, RetryPolicy = request.RetryPolicy,
                CronSchedule = request.CronSchedule, Memo = request.Memo, SearchAttributes = request.SearchAttributes, Header = request.Header, Priority = request.Priority,
            };
            var spec = new StartSpec(StartedAttributes(start), request.RequestId, request.WorkflowIdReusePolicy, WorkflowIdConflictPolicy.UseExisting, request.WorkflowStartDelay.ToTimeSpanOrZero(), signal)
            {
                Metadata = request.UserMetadata,
            };
            return StartRun(chain, spec, mutation);
        });
        return new SignalWithStartWorkflowExecutionResponse { RunId = outcome.Run.RunId, Started = outcome.Started };
    }

    private static void ValidateStart(string workflowId, WorkflowType? workflowType, TaskQueue? queue)
    {
        if (string.IsNullOrEmpty(workflowId))
        {
            throw TemporalErrors.InvalidArgument("WorkflowId is not set on request.");
        }
        if (string.IsNullOrEmpty(workflowType?.Name))
        {
            throw TemporalErrors.InvalidArgument("WorkflowType is not set on request.");
        }
        if (string.IsNullOrEmpty(queue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
    }

    private static WorkflowExecutionStartedEventAttributes StartedAttributes(StartWorkflowExecutionRequest request) => new()
    {
        WorkflowType = request.WorkflowType,
        TaskQueue = new TaskQueue { Name = request.TaskQueue.Name, Kind = TaskQueueKind.Normal },
        Input = request.Input,
        WorkflowExecutionTimeout = request.WorkflowExecutionTimeout,
        WorkflowRunTimeout = request.WorkflowRunTimeout,
        WorkflowTaskTimeout = request.WorkflowTaskTimeout,
        Identity = request.Identity,
        RetryPolicy = request.RetryPolicy,
        CronSchedule = request.CronSchedule,
        Memo = request.Memo,
        SearchAttributes = request.SearchAttributes,
        Header = request.Header,
        Priority = request.Priority,
        ContinuedFailure = request.ContinuedFailure,
        LastCompletionResult = request.LastCompletionResult,
    };

    /// <summary>Starts a run on the chain, following the reuse and conflict policies. Call under the chain's lock.</summary>
    public StartOutcome StartRun(WorkflowChain chain, StartSpec spec, Mutation mutation)
    {
        if (chain.StartRequestIds.TryGetValue(spec.RequestId, out var knownRun) && chain.Find(knownRun) is { } same)
        {
            return new StartOutcome(same, true);
        }
        if (chain.Current is { } current)
        {
            if (current.IsRunning)
            {
                switch (spec.ConflictPolicy)
                {
                    case WorkflowIdConflictPolicy.UseExisting:
                        if (spec.Signal is not null)
                        {
                            engine.History.AddExternal(current, spec.Signal, mutation);
                        }
                        return new StartOutcome(current, false);
                    case WorkflowIdConflictPolicy.TerminateExisting:
                        Terminate(current, "terminated by a start with the TerminateExisting conflict policy", mutation);
                        break;
                    default:
                        if (spec.ReusePolicy == WorkflowIdReusePolicy.TerminateIfRunning)
                        {
                            Terminate(current, "terminated by a start with the TerminateIfRunning reuse policy", mutation);
                            break;
                        }
                        throw AlreadyStarted(chain, current, $"Workflow execution is already running. WorkflowId: {chain.WorkflowId}, RunId: {current.RunId}.");
                }
            }
            else if (spec.ReusePolicy == WorkflowIdReusePolicy.RejectDuplicate)
            {
                throw AlreadyStarted(chain, current, $"Workflow execution already finished and Workflow ID reuse policy does not allow a new run. WorkflowId: {chain.WorkflowId}, RunId: {current.RunId}.");
            }
            else if (spec.ReusePolicy == WorkflowIdReusePolicy.AllowDuplicateFailedOnly && current.Status is WorkflowExecutionStatus.Completed)
            {
                throw AlreadyStarted(chain, current, $"Workflow execution already finished successfully. WorkflowId: {chain.WorkflowId}, RunId: {current.RunId}. Workflow ID reuse policy: allow duplicate workflow ID if last run failed.");
            }
        }
        var run = CreateRun(chain, spec.Attributes, engine.Cron.FirstRunDelay(spec.Attributes, spec.StartDelay), spec.Signal, mutation, spec.Metadata);
        chain.StartRequestIds[spec.RequestId] = run.RunId;
        return new StartOutcome(run, true);
    }

    private static Grpc.Core.RpcException AlreadyStarted(WorkflowChain chain, Execution current, string message) =>
        TemporalErrors.AlreadyStarted(message, chain.StartRequestIds.FirstOrDefault(known => known.Value == current.RunId).Key ?? "", current.RunId);

    /// <summary>Writes the first events of a new run and arms its timeouts and first workflow task.</summary>
    public Execution CreateRun(WorkflowChain chain, WorkflowExecutionStartedEventAttributes attributes, TimeSpan startDelay, HistoryEvent? signal, Mutation mutation, UserMetadata? metadata)
    {
        var run = new Execution(chain, Guid.NewGuid().ToString(), engine.Clock);
        var now = engine.Clock.UtcNow;
        attributes.WorkflowId = chain.WorkflowId;
        attributes.OriginalExecutionRunId = run.RunId;
        if (string.IsNullOrEmpty(attributes.FirstExecutionRunId))
        {
            attributes.FirstExecutionRunId = run.RunId;
        }
        attributes.Attempt = Math.Max(1, attributes.Attempt);
        var taskTimeout = attributes.WorkflowTaskTimeout.ToTimeSpanOrZero();
        attributes.WorkflowTaskTimeout = Duration.FromTimeSpan(taskTimeout <= TimeSpan.Zero ? DefaultWorkflowTaskTimeout : taskTimeout > MaxWorkflowTaskTimeout ? MaxWorkflowTaskTimeout : taskTimeout);
        var executionTimeout = attributes.WorkflowExecutionTimeout.ToTimeSpanOrZero();
        if (attributes.WorkflowExecutionExpirationTime is null && executionTimeout > TimeSpan.Zero)
        {
            attributes.WorkflowExecutionExpirationTime = Timestamp.FromDateTime(now + executionTimeout);
        }
        if (attributes.WorkflowRunTimeout.ToTimeSpanOrZero() <= TimeSpan.Zero && executionTimeout > TimeSpan.Zero)
        {
            attributes.WorkflowRunTimeout = Duration.FromTimeSpan(executionTimeout);
        }
        attributes.FirstWorkflowTaskBackoff = Duration.FromTimeSpan(startDelay > TimeSpan.Zero ? startDelay : TimeSpan.Zero);
        if (attributes.SearchAttributes is { } searchAttributes)
        {
            chain.Namespace.SearchAttributes.Validate(searchAttributes);
        }
        chain.Runs.Add(run);
        HistoryWriter.Append(run, engine.Events.WorkflowExecutionStarted(attributes, metadata), mutation);
        if (signal is not null)
        {
            HistoryWriter.Append(run, signal, mutation);
        }
        chain.Namespace.Visibility.Upsert(HistoryReader.DescribeInfo(run));
        ArmRunTimeout(run);
        ArmFirstWorkflowTask(run, mutation);
        return run;
    }

    /// <summary>Schedules the run's first workflow task now, or after its start delay / continue-as-new backoff.</summary>
    public void ArmFirstWorkflowTask(Execution run, Mutation mutation)
    {
        var due = run.StartTime + run.Started.FirstWorkflowTaskBackoff.ToTimeSpanOrZero();
        if (due <= engine.Clock.UtcNow)
        {
            engine.WorkflowTasks.Schedule(run, mutation);
            return;
        }
        run.Armed.WorkflowTaskDelay = engine.Clock.Schedule(due, () => engine.Mutate(run.Chain, later => engine.WorkflowTasks.ScheduleAfterDelay(run, later)));
    }

    /// <summary>Times the run out at its run timeout or its execution's expiry, whichever comes first (used live and on restore).</summary>
    public void ArmRunTimeout(Execution run)
    {
        var runTimeout = run.Started.WorkflowRunTimeout.ToTimeSpanOrZero();
        var deadline = runTimeout > TimeSpan.Zero ? run.StartTime + runTimeout : DateTime.MaxValue;
        if (run.ExecutionDeadline < deadline)
        {
            deadline = run.ExecutionDeadline;
        }
        if (deadline == DateTime.MaxValue)
        {
            return;
        }
        run.Armed.RunTimeout = engine.Clock.Schedule(deadline, () => engine.Mutate(run.Chain, mutation =>
        {
            if (run.IsRunning)
            {
                TimeOutRun(run, mutation);
            }
        }));
    }

    /// <summary>The failure a timed-out run hands to its retry or next cron run.</summary>
    public static Failure RunTimeoutFailure() => new()
    {
        Message = "workflow timeout",
        TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = TimeoutType.StartToClose },
    };

    /// <summary>The run timed out: within the execution timeout the retry policy may start another attempt, as for a failure.</summary>
    private void TimeOutRun(Execution run, Mutation mutation)
    {
        var failure = RunTimeoutFailure();
        var delay = TimeSpan.Zero;
        var retryState = engine.Clock.UtcNow >= run.ExecutionDeadline ? RetryState.Timeout
            : run.Started.RetryPolicy is { } policy ? RetryPolicies.Decide(RetryPolicies.WithDefaults(policy), run.Started.Attempt, failure, engine.Clock.UtcNow, run.ExecutionDeadline, out delay)
            : RetryState.RetryPolicyNotSet;
        var timedOut = engine.Events.WorkflowExecutionTimedOut(retryState);
        CloseRun(run, timedOut, mutation);
        if (retryState == RetryState.InProgress)
        {
            timedOut.WorkflowExecutionTimedOutEventAttributes.NewExecutionRunId = StartRetry(run, failure, delay, mutation);
        }
    }

    public async Task<TerminateWorkflowExecutionResponse> TerminateAsync(TerminateWorkflowExecutionRequest request)
    {
        await engine.MutateOpenRunAsync(request.Namespace, request.WorkflowExecution,
            (run, mutation) => Terminate(run, request.Reason, mutation, request.Identity, request.Details));
        return new TerminateWorkflowExecutionResponse();
    }

    public void Terminate(Execution run, string reason, Mutation mutation, string identity = "", Payloads? details = null) =>
        CloseRun(run, engine.Events.WorkflowExecutionTerminated(reason, identity, details), mutation);

    public async Task<RequestCancelWorkflowExecutionResponse> RequestCancelAsync(RequestCancelWorkflowExecutionRequest request)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.WorkflowExecution?.WorkflowId ?? "");
        await engine.MutateAsync(chain, mutation =>
        {
            // As in Temporal, cancelling a run that already closed succeeds and changes nothing.
            if (TemporalEngine.GetRun(chain, request.WorkflowExecution!.RunId) is { IsRunning: true } run)
            {
                RequestCancel(run, request.Reason, request.Identity, null, mutation);
            }
            return true;
        });
        return new RequestCancelWorkflowExecutionResponse();
    }

    /// <summary>Records a cancel request (once) and gives the workflow a task to handle it.</summary>
    public void RequestCancel(Execution run, string reason, string identity, (long InitiatedEventId, WorkflowExecution Execution)? fromExternal, Mutation mutation)
    {
        if (!run.CancelRequested)
        {
            engine.History.AddExternal(run, engine.Events.WorkflowExecutionCancelRequested(reason, identity, fromExternal), mutation);
        }
    }

    /// <summary>Terminates the named run if it still runs (parent close policy).</summary>
    public void TryTerminate(string nsName, string workflowId, string? runId, string reason)
    {
        if (engine.GetNamespace(nsName).Chains.TryGetValue(workflowId, out var chain))
        {
            engine.Mutate(chain, mutation =>
            {
                if (chain.Find(runId) is { IsRunning: true } run)
                {
                    Terminate(run, reason, mutation);
                }
            });
        }
    }

    /// <summary>Asks the named run to cancel if it still runs (parent close policy).</summary>
    public void TryRequestCancel(string nsName, string workflowId, string? runId, string reason)
    {
        if (engine.GetNamespace(nsName).Chains.TryGetValue(workflowId, out var chain))
        {
            engine.Mutate(chain, mutation =>
            {
                if (chain.Find(runId) is { IsRunning: true } run)
                {
                    RequestCancel(run, reason, "", null, mutation);
                }
            });
        }
    }

    /// <summary>
    /// The fail command: with a retry policy that allows another attempt, the run closes as failed and the next attempt
    /// starts as a new run of the chain after the backoff (Temporal's workflow retry); otherwise the run just fails.
    /// </summary>
    public void FailRun(Execution run, Failure failure, long completedEventId, Mutation mutation)
    {
        var previous = run.Started;
        var delay = TimeSpan.Zero;
        var retryState = previous.RetryPolicy is { } policy
            ? RetryPolicies.Decide(RetryPolicies.WithDefaults(policy), previous.Attempt, failure, engine.Clock.UtcNow, run.ExecutionDeadline, out delay)
            : RetryState.RetryPolicyNotSet;
        var failed = engine.Events.WorkflowExecutionFailed(failure, retryState, completedEventId);
        CloseRun(run, failed, mutation);
        if (retryState == RetryState.InProgress)
        {
            failed.WorkflowExecutionFailedEventAttributes.NewExecutionRunId = StartRetry(run, failure, delay, mutation);
        }
    }

    /// <summary>Starts the next attempt of a closed run (workflow retry), after the backoff; returns its run id.</summary>
    private string StartRetry(Execution run, Failure failure, TimeSpan delay, Mutation mutation)
    {
        var next = run.Started.Clone();
        next.Attempt = run.Started.Attempt + 1;
        next.ContinuedExecutionRunId = run.RunId;
        next.Initiator = ContinueAsNewInitiator.Retry;
        next.ContinuedFailure = failure;
        next.Memo = run.Memo.Clone();
        next.SearchAttributes = run.SearchAttributes.Clone();
        return CreateRun(run.Chain, next, delay, null, mutation, null).RunId;
    }

    /// <summary>The continue-as-new command: closes this run and starts the next one of the chain.</summary>
    public void ContinueAsNew(Execution run, ContinueAsNewWorkflowExecutionCommandAttributes command, long completedEventId, Mutation mutation)
    {
        var previous = run.Started;
        var next = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = command.WorkflowType ?? previous.WorkflowType,
            TaskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? previous.TaskQueue : command.TaskQueue,
            Input = command.Input,
            WorkflowRunTimeout = command.WorkflowRunTimeout ?? previous.WorkflowRunTimeout,
            WorkflowTaskTimeout = command.WorkflowTaskTimeout ?? previous.WorkflowTaskTimeout,
            WorkflowExecutionTimeout = previous.WorkflowExecutionTimeout,
            WorkflowExecutionExpirationTime = previous.WorkflowExecutionExpirationTime,
            ContinuedExecutionRunId = run.RunId,
            Initiator = command.Initiator == ContinueAsNewInitiator.Unspecified ? ContinueAsNewInitiator.Workflow : command.Initiator,
            ContinuedFailure = command.Failure,
            LastCompletionResult = command.LastCompletionResult,
            FirstExecutionRunId = previous.FirstExecutionRunId,
            RetryPolicy = command.RetryPolicy ?? previous.RetryPolicy,
            Memo = command.Memo ?? run.Memo.Clone(),
            SearchAttributes = command.SearchAttributes ?? run.SearchAttributes.Clone(),
            Header = command.Header,
            ParentWorkflowNamespace = previous.ParentWorkflowNamespace,
            ParentWorkflowNamespaceId = previous.ParentWorkflowNamespaceId,
            ParentWorkflowExecution = previous.ParentWorkflowExecution,
            ParentInitiatedEventId = previous.ParentInitiatedEventId,
            RootWorkflowExecution = previous.RootWorkflowExecution,
            Identity = previous.Identity,
            Priority = previous.Priority,
        };
        var attributes = new WorkflowExecutionContinuedAsNewEventAttributes
        {
            WorkflowType = next.WorkflowType,
            TaskQueue = next.TaskQueue,
            Input = next.Input,
            WorkflowRunTimeout = next.WorkflowRunTimeout,
            WorkflowTaskTimeout = next.WorkflowTaskTimeout,
            WorkflowTaskCompletedEventId = completedEventId,
            BackoffStartInterval = command.BackoffStartInterval,
            Initiator = next.Initiator,
            Failure = command.Failure,
            LastCompletionResult = command.LastCompletionResult,
            Header = command.Header,
            Memo = command.Memo,
            SearchAttributes = command.SearchAttributes,
        };
        CloseRun(run, engine.Events.WorkflowExecutionContinuedAsNew(attributes), mutation);
        attributes.NewExecutionRunId = CreateRun(run.Chain, next, command.BackoffStartInterval.ToTimeSpanOrZero(), null, mutation, null).RunId;
    }

    /// <summary>Closes a run with its close event: pending work stops, the parent hears of it, children follow their policy.</summary>
    public void CloseRun(Execution run, HistoryEvent closeEvent, Mutation mutation)
    {
        HistoryWriter.FlushBuffered(run, mutation);
        var children = run.Children.Values.ToList();
        HistoryWriter.Append(run, closeEvent, mutation);
        var cronGoesOn = engine.Cron.ContinueAfter(run, closeEvent, mutation);
        engine.Queries.ReleaseParked(run);
        run.Namespace.Visibility.Upsert(HistoryReader.DescribeInfo(run));
        // A parent hears of its child once the chain ends: not when it continues as new, retries or runs its next cron.
        var chainGoesOn = cronGoesOn || run.Status == WorkflowExecutionStatus.ContinuedAsNew
            || closeEvent.WorkflowExecutionFailedEventAttributes?.RetryState == RetryState.InProgress
            || closeEvent.WorkflowExecutionTimedOutEventAttributes?.RetryState == RetryState.InProgress;
        if (!chainGoesOn && ChainClosed is { } listeners)
        {
            mutation.After(() => listeners(run, closeEvent));
        }
        if (!chainGoesOn && run.Started.ParentWorkflowExecution is not null)
        {
            engine.Children.NotifyParent(run, closeEvent, mutation);
        }
        engine.Children.ApplyParentClosePolicy(children, mutation);
    }
}
