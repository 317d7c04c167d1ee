using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>What a start asks for, whatever the entry (start call, signal-with-start, child command).</summary>
internal sealed record StartSpec(
    WorkflowExecutionStartedEventAttributes Attributes,
    string RequestId,
    WorkflowIdReusePolicy ReusePolicy,
    WorkflowIdConflictPolicy ConflictPolicy,
    TimeSpan StartDelay,
    HistoryEvent? Signal = null);

internal sealed record StartOutcome(Execution Run, bool Started);

internal sealed partial class TemporalEngine
{
    private static readonly TimeSpan DefaultWorkflowTaskTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxWorkflowTaskTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Starts a run on the chain, following the reuse and conflict policies. Call under the chain's lock.</summary>
    public StartOutcome StartRun(WorkflowChain chain, StartSpec spec, Mutation m)
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
                            AddExternal(current, spec.Signal, m);
                        }
                        return new StartOutcome(current, false);
                    case WorkflowIdConflictPolicy.TerminateExisting:
                        Terminate(current, "terminated by a start with the TerminateExisting conflict policy", m);
                        break;
                    default:
                        if (spec.ReusePolicy == WorkflowIdReusePolicy.TerminateIfRunning)
                        {
                            Terminate(current, "terminated by a start with the TerminateIfRunning reuse policy", m);
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
        var run = CreateRun(chain, spec.Attributes, CronFirstRunDelay(spec.Attributes, spec.StartDelay), spec.Signal, m);
        chain.StartRequestIds[spec.RequestId] = run.RunId;
        return new StartOutcome(run, true);
    }

    private static Grpc.Core.RpcException AlreadyStarted(WorkflowChain chain, Execution current, string message) =>
        TemporalErrors.AlreadyStarted(message, chain.StartRequestIds.FirstOrDefault(p => p.Value == current.RunId).Key ?? "", current.RunId);

    /// <summary>Writes the first events of a new run and arms its timeouts and first workflow task.</summary>
    private Execution CreateRun(WorkflowChain chain, WorkflowExecutionStartedEventAttributes attributes, TimeSpan startDelay, HistoryEvent? signal, Mutation m)
    {
        var run = new Execution(chain, Guid.NewGuid().ToString(), Clock);
        var now = Clock.UtcNow;
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
        var started = NewEvent(EventType.WorkflowExecutionStarted);
        started.WorkflowExecutionStartedEventAttributes = attributes;
        Append(run, started, m);
        if (signal is not null)
        {
            Append(run, signal, m);
        }
        chain.Namespace.Visibility.Upsert(DescribeInfo(run));
        ArmRunTimeout(run);
        ArmFirstWorkflowTask(run, m);
        return run;
    }

    /// <summary>Schedules the run's first workflow task now, or after its start delay / continue-as-new backoff.</summary>
    public void ArmFirstWorkflowTask(Execution run, Mutation m)
    {
        var due = run.StartTime + run.Started.FirstWorkflowTaskBackoff.ToTimeSpanOrZero();
        if (due <= Clock.UtcNow)
        {
            ScheduleWorkflowTask(run, m);
            return;
        }
        run.StartBackoffTimer = Clock.Schedule(due, () => Mutate(run.Chain, later =>
        {
            run.StartBackoffTimer = null;
            if (run.IsRunning && run.WorkflowTask is null)
            {
                ScheduleWorkflowTask(run, later);
            }
        }));
    }

    public void Terminate(Execution x, string reason, Mutation m, string identity = "", Payloads? details = null)
    {
        var e = NewEvent(EventType.WorkflowExecutionTerminated);
        e.WorkflowExecutionTerminatedEventAttributes = new WorkflowExecutionTerminatedEventAttributes { Reason = reason, Identity = identity, Details = details };
        CloseRun(x, e, m);
    }

    /// <summary>
    /// The fail command: with a retry policy that allows another attempt, the run closes as failed and the next attempt
    /// starts as a new run of the chain after the backoff (Temporal's workflow retry); otherwise the run just fails.
    /// </summary>
    private void FailRun(Execution x, Temporalio.Api.Failure.V1.Failure failure, long completedEventId, Mutation m)
    {
        var previous = x.Started;
        var delay = TimeSpan.Zero;
        var state = previous.RetryPolicy is { } policy
            ? RetryPolicies.Decide(RetryPolicies.WithDefaults(policy), previous.Attempt, failure, Clock.UtcNow, x.ExecutionDeadline, out delay)
            : RetryState.RetryPolicyNotSet;
        var e = NewEvent(EventType.WorkflowExecutionFailed);
        var attributes = new WorkflowExecutionFailedEventAttributes { Failure = failure, RetryState = state, WorkflowTaskCompletedEventId = completedEventId };
        e.WorkflowExecutionFailedEventAttributes = attributes;
        CloseRun(x, e, m);
        if (state != RetryState.InProgress)
        {
            return;
        }
        var next = previous.Clone();
        next.Attempt = previous.Attempt + 1;
        next.ContinuedExecutionRunId = x.RunId;
        next.Initiator = ContinueAsNewInitiator.Retry;
        next.ContinuedFailure = failure;
        next.FirstExecutionRunId = previous.FirstExecutionRunId;
        next.Memo = x.Memo.Clone();
        next.SearchAttributes = x.SearchAttributes.Clone();
        attributes.NewExecutionRunId = CreateRun(x.Chain, next, delay, null, m).RunId;
    }

    /// <summary>The continue-as-new command: closes this run and starts the next one of the chain.</summary>
    private void ContinueAsNew(Execution x, Temporalio.Api.Command.V1.ContinueAsNewWorkflowExecutionCommandAttributes command, long completedEventId, Mutation m)
    {
        var previous = x.Started;
        var next = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = command.WorkflowType ?? previous.WorkflowType,
            TaskQueue = string.IsNullOrEmpty(command.TaskQueue?.Name) ? previous.TaskQueue : command.TaskQueue,
            Input = command.Input,
            WorkflowRunTimeout = command.WorkflowRunTimeout ?? previous.WorkflowRunTimeout,
            WorkflowTaskTimeout = command.WorkflowTaskTimeout ?? previous.WorkflowTaskTimeout,
            WorkflowExecutionTimeout = previous.WorkflowExecutionTimeout,
            WorkflowExecutionExpirationTime = previous.WorkflowExecutionExpirationTime,
            ContinuedExecutionRunId = x.RunId,
            Initiator = command.Initiator == ContinueAsNewInitiator.Unspecified ? ContinueAsNewInitiator.Workflow : command.Initiator,
            ContinuedFailure = command.Failure,
            LastCompletionResult = command.LastCompletionResult,
            FirstExecutionRunId = previous.FirstExecutionRunId,
            RetryPolicy = command.RetryPolicy ?? previous.RetryPolicy,
            Memo = command.Memo ?? x.Memo.Clone(),
            SearchAttributes = command.SearchAttributes ?? x.SearchAttributes.Clone(),
            Header = command.Header,
            ParentWorkflowNamespace = previous.ParentWorkflowNamespace,
            ParentWorkflowNamespaceId = previous.ParentWorkflowNamespaceId,
            ParentWorkflowExecution = previous.ParentWorkflowExecution,
            ParentInitiatedEventId = previous.ParentInitiatedEventId,
            RootWorkflowExecution = previous.RootWorkflowExecution,
            Identity = previous.Identity,
            Priority = previous.Priority,
        };
        var backoff = command.BackoffStartInterval.ToTimeSpanOrZero();
        var closing = NewEvent(EventType.WorkflowExecutionContinuedAsNew);
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
        closing.WorkflowExecutionContinuedAsNewEventAttributes = attributes;
        CloseRun(x, closing, m);
        var created = CreateRun(x.Chain, next, backoff, null, m);
        attributes.NewExecutionRunId = created.RunId;
    }

    /// <summary>Starts a child for a parent's initiated event and reports the outcome back to the parent.</summary>
    private void StartChild(Execution parent, long initiatedEventId, StartChildWorkflowExecutionInitiatedEventAttributes command)
    {
        var ns = GetNamespace(command.Namespace);
        var chain = ns.GetOrAddChain(command.WorkflowId);
        var attributes = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = command.WorkflowType,
            TaskQueue = command.TaskQueue,
            Input = command.Input,
            WorkflowExecutionTimeout = command.WorkflowExecutionTimeout,
            WorkflowRunTimeout = command.WorkflowRunTimeout,
            WorkflowTaskTimeout = command.WorkflowTaskTimeout,
            ParentWorkflowNamespace = parent.Namespace.Name,
            ParentWorkflowNamespaceId = parent.Namespace.Id,
            ParentWorkflowExecution = new WorkflowExecution { WorkflowId = parent.WorkflowId, RunId = parent.RunId },
            ParentInitiatedEventId = initiatedEventId,
            RootWorkflowExecution = parent.Started.RootWorkflowExecution ?? new WorkflowExecution { WorkflowId = parent.WorkflowId, RunId = parent.RunId },
            RetryPolicy = command.RetryPolicy,
            CronSchedule = command.CronSchedule,
            Memo = command.Memo,
            SearchAttributes = command.SearchAttributes,
            Header = command.Header,
            Priority = command.Priority,
        };
        var requestId = $"{parent.RunId}:{initiatedEventId}";
        HistoryEvent outcome;
        try
        {
            var started = Mutate(chain, m => StartRun(chain, new StartSpec(attributes, requestId, command.WorkflowIdReusePolicy, WorkflowIdConflictPolicy.Fail, TimeSpan.Zero), m));
            outcome = NewEvent(EventType.ChildWorkflowExecutionStarted);
            outcome.ChildWorkflowExecutionStartedEventAttributes = new ChildWorkflowExecutionStartedEventAttributes
            {
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                InitiatedEventId = initiatedEventId,
                WorkflowExecution = new WorkflowExecution { WorkflowId = chain.WorkflowId, RunId = started.Run.RunId },
                WorkflowType = command.WorkflowType,
                Header = command.Header,
            };
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode is Grpc.Core.StatusCode.AlreadyExists or Grpc.Core.StatusCode.InvalidArgument)
        {
            outcome = NewEvent(EventType.StartChildWorkflowExecutionFailed);
            outcome.StartChildWorkflowExecutionFailedEventAttributes = new StartChildWorkflowExecutionFailedEventAttributes
            {
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                WorkflowId = command.WorkflowId,
                WorkflowType = command.WorkflowType,
                Cause = StartChildWorkflowExecutionFailedCause.WorkflowAlreadyExists,
                Control = command.Control,
                InitiatedEventId = initiatedEventId,
            };
        }
        Mutate(parent.Chain, m =>
        {
            if (parent.IsRunning && parent.Children.ContainsKey(initiatedEventId))
            {
                AddExternal(parent, outcome, m);
            }
        });
    }

    /// <summary>The event a parent gets when its child's run closes (by the child's close event).</summary>
    private HistoryEvent ChildClosedEvent(Execution child, HistoryEvent close)
    {
        var execution = new WorkflowExecution { WorkflowId = child.WorkflowId, RunId = child.RunId };
        var initiated = child.Started.ParentInitiatedEventId;
        var ns = child.Namespace;
        HistoryEvent e;
        switch (close.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                e = NewEvent(EventType.ChildWorkflowExecutionCompleted);
                e.ChildWorkflowExecutionCompletedEventAttributes = new ChildWorkflowExecutionCompletedEventAttributes
                {
                    Result = close.WorkflowExecutionCompletedEventAttributes.Result,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = child.Started.WorkflowType, InitiatedEventId = initiated,
                };
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes:
                e = NewEvent(EventType.ChildWorkflowExecutionFailed);
                e.ChildWorkflowExecutionFailedEventAttributes = new ChildWorkflowExecutionFailedEventAttributes
                {
                    Failure = close.WorkflowExecutionFailedEventAttributes.Failure,
                    RetryState = close.WorkflowExecutionFailedEventAttributes.RetryState,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = child.Started.WorkflowType, InitiatedEventId = initiated,
                };
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCanceledEventAttributes:
                e = NewEvent(EventType.ChildWorkflowExecutionCanceled);
                e.ChildWorkflowExecutionCanceledEventAttributes = new ChildWorkflowExecutionCanceledEventAttributes
                {
                    Details = close.WorkflowExecutionCanceledEventAttributes.Details,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = child.Started.WorkflowType, InitiatedEventId = initiated,
                };
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes:
                e = NewEvent(EventType.ChildWorkflowExecutionTimedOut);
                e.ChildWorkflowExecutionTimedOutEventAttributes = new ChildWorkflowExecutionTimedOutEventAttributes
                {
                    RetryState = close.WorkflowExecutionTimedOutEventAttributes.RetryState,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = child.Started.WorkflowType, InitiatedEventId = initiated,
                };
                break;
            default:
                e = NewEvent(EventType.ChildWorkflowExecutionTerminated);
                e.ChildWorkflowExecutionTerminatedEventAttributes = new ChildWorkflowExecutionTerminatedEventAttributes
                {
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = child.Started.WorkflowType, InitiatedEventId = initiated,
                };
                break;
        }
        return e;
    }

    private void DeliverToParent(string parentNamespace, WorkflowExecution parentExecution, HistoryEvent notice)
    {
        var ns = GetNamespace(parentNamespace);
        if (!ns.Chains.TryGetValue(parentExecution.WorkflowId, out var chain))
        {
            return;
        }
        Mutate(chain, m =>
        {
            var parent = chain.Find(parentExecution.RunId);
            var initiated = InitiatedEventIdOf(notice);
            if (parent is { IsRunning: true } && parent.Children.TryGetValue(initiated, out var child))
            {
                SetStartedEventId(notice, child.StartedEventId);
                AddExternal(parent, notice, m);
            }
        });
    }

    private static long InitiatedEventIdOf(HistoryEvent e) => e.AttributesCase switch
    {
        HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes => e.ChildWorkflowExecutionCompletedEventAttributes.InitiatedEventId,
        HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes => e.ChildWorkflowExecutionFailedEventAttributes.InitiatedEventId,
        HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes => e.ChildWorkflowExecutionCanceledEventAttributes.InitiatedEventId,
        HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes => e.ChildWorkflowExecutionTimedOutEventAttributes.InitiatedEventId,
        _ => e.ChildWorkflowExecutionTerminatedEventAttributes.InitiatedEventId,
    };

    private static void SetStartedEventId(HistoryEvent e, long startedEventId)
    {
        switch (e.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCompletedEventAttributes:
                e.ChildWorkflowExecutionCompletedEventAttributes.StartedEventId = startedEventId;
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionFailedEventAttributes:
                e.ChildWorkflowExecutionFailedEventAttributes.StartedEventId = startedEventId;
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionCanceledEventAttributes:
                e.ChildWorkflowExecutionCanceledEventAttributes.StartedEventId = startedEventId;
                break;
            case HistoryEvent.AttributesOneofCase.ChildWorkflowExecutionTimedOutEventAttributes:
                e.ChildWorkflowExecutionTimedOutEventAttributes.StartedEventId = startedEventId;
                break;
            default:
                e.ChildWorkflowExecutionTerminatedEventAttributes.StartedEventId = startedEventId;
                break;
        }
    }

    private void TryTerminate(string ns, string workflowId, string? runId, string reason)
    {
        if (GetNamespace(ns).Chains.TryGetValue(workflowId, out var chain))
        {
            Mutate(chain, m =>
            {
                if (chain.Find(runId) is { IsRunning: true } run)
                {
                    Terminate(run, reason, m);
                }
            });
        }
    }

    private void TryRequestCancel(string ns, string workflowId, string? runId, string reason)
    {
        if (GetNamespace(ns).Chains.TryGetValue(workflowId, out var chain))
        {
            Mutate(chain, m =>
            {
                if (chain.Find(runId) is { IsRunning: true } run)
                {
                    RequestCancel(run, reason, "", null, m);
                }
            });
        }
    }

    /// <summary>Records a cancel request (once) and gives the workflow a task to handle it.</summary>
    public void RequestCancel(Execution x, string reason, string identity, (long InitiatedEventId, WorkflowExecution Execution)? fromExternal, Mutation m)
    {
        if (x.CancelRequested)
        {
            return;
        }
        var e = NewEvent(EventType.WorkflowExecutionCancelRequested);
        e.WorkflowExecutionCancelRequestedEventAttributes = new WorkflowExecutionCancelRequestedEventAttributes { Cause = reason, Identity = identity };
        if (fromExternal is { } external)
        {
            e.WorkflowExecutionCancelRequestedEventAttributes.ExternalInitiatedEventId = external.InitiatedEventId;
            e.WorkflowExecutionCancelRequestedEventAttributes.ExternalWorkflowExecution = external.Execution;
        }
        AddExternal(x, e, m);
    }
}
