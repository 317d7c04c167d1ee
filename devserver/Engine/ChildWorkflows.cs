using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Child workflows: the parent's initiated event, the child's start (after the parent's lock is released) and its
/// outcome back to the parent, every close of the child's chain back to the parent, and the parent close policies.
/// </summary>
internal sealed class ChildWorkflows(TemporalEngine engine)
{
    public void Initiate(Execution parent, Command command, long completedEventId, Mutation mutation)
    {
        var requested = command.StartChildWorkflowExecutionCommandAttributes;
        var ns = string.IsNullOrEmpty(requested.Namespace) ? parent.Namespace : engine.GetNamespace(requested.Namespace);
        var attributes = new StartChildWorkflowExecutionInitiatedEventAttributes
        {
            Namespace = ns.Name,
            NamespaceId = ns.Id,
            WorkflowId = requested.WorkflowId,
            WorkflowType = requested.WorkflowType,
            TaskQueue = string.IsNullOrEmpty(requested.TaskQueue?.Name) ? parent.Started.TaskQueue : requested.TaskQueue,
            Input = requested.Input,
            WorkflowExecutionTimeout = requested.WorkflowExecutionTimeout,
            WorkflowRunTimeout = requested.WorkflowRunTimeout,
            WorkflowTaskTimeout = requested.WorkflowTaskTimeout,
            ParentClosePolicy = requested.ParentClosePolicy,
            Control = requested.Control,
            WorkflowTaskCompletedEventId = completedEventId,
            WorkflowIdReusePolicy = requested.WorkflowIdReusePolicy,
            RetryPolicy = requested.RetryPolicy,
            CronSchedule = requested.CronSchedule,
            Header = requested.Header,
            Memo = requested.Memo,
            SearchAttributes = requested.SearchAttributes,
            Priority = requested.Priority,
        };
        var initiatedEventId = HistoryWriter.Append(parent, engine.Events.StartChildWorkflowExecutionInitiated(attributes, command.UserMetadata), mutation);
        mutation.After(() => Start(parent, initiatedEventId, attributes));
    }

    /// <summary>Starts a child for a parent's initiated event and reports the outcome back to the parent (used live and on restore).</summary>
    public void Start(Execution parent, long initiatedEventId, StartChildWorkflowExecutionInitiatedEventAttributes initiated)
    {
        var ns = engine.GetNamespace(initiated.Namespace);
        var chain = ns.GetOrAddChain(initiated.WorkflowId);
        var attributes = new WorkflowExecutionStartedEventAttributes
        {
            WorkflowType = initiated.WorkflowType,
            TaskQueue = initiated.TaskQueue,
            Input = initiated.Input,
            WorkflowExecutionTimeout = initiated.WorkflowExecutionTimeout,
            WorkflowRunTimeout = initiated.WorkflowRunTimeout,
            WorkflowTaskTimeout = initiated.WorkflowTaskTimeout,
            ParentWorkflowNamespace = parent.Namespace.Name,
            ParentWorkflowNamespaceId = parent.Namespace.Id,
            ParentWorkflowExecution = new WorkflowExecution { WorkflowId = parent.WorkflowId, RunId = parent.RunId },
            ParentInitiatedEventId = initiatedEventId,
            RootWorkflowExecution = parent.Started.RootWorkflowExecution ?? new WorkflowExecution { WorkflowId = parent.WorkflowId, RunId = parent.RunId },
            RetryPolicy = initiated.RetryPolicy,
            CronSchedule = initiated.CronSchedule,
            Memo = initiated.Memo,
            SearchAttributes = initiated.SearchAttributes,
            Header = initiated.Header,
            Priority = initiated.Priority,
        };
        var requestId = $"{parent.RunId}:{initiatedEventId}";
        HistoryEvent outcome;
        try
        {
            var spec = new StartSpec(attributes, requestId, initiated.WorkflowIdReusePolicy, WorkflowIdConflictPolicy.Fail, TimeSpan.Zero);
            var started = engine.Mutate(chain, mutation => engine.Lifecycle.StartRun(chain, spec, mutation));
            outcome = engine.Events.ChildWorkflowExecutionStarted(new ChildWorkflowExecutionStartedEventAttributes
            {
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                InitiatedEventId = initiatedEventId,
                WorkflowExecution = new WorkflowExecution { WorkflowId = chain.WorkflowId, RunId = started.Run.RunId },
                WorkflowType = initiated.WorkflowType,
                Header = initiated.Header,
            });
        }
        catch (Grpc.Core.RpcException error) when (error.StatusCode is Grpc.Core.StatusCode.AlreadyExists or Grpc.Core.StatusCode.InvalidArgument)
        {
            outcome = engine.Events.StartChildWorkflowExecutionFailed(new StartChildWorkflowExecutionFailedEventAttributes
            {
                Namespace = ns.Name,
                NamespaceId = ns.Id,
                WorkflowId = initiated.WorkflowId,
                WorkflowType = initiated.WorkflowType,
                Cause = StartChildWorkflowExecutionFailedCause.WorkflowAlreadyExists,
                Control = initiated.Control,
                InitiatedEventId = initiatedEventId,
            });
        }
        engine.Mutate(parent.Chain, mutation =>
        {
            if (parent.IsRunning && parent.Children.ContainsKey(initiatedEventId))
            {
                engine.History.AddExternal(parent, outcome, mutation);
            }
        });
    }

    /// <summary>The child's chain ended with <paramref name="closeEvent"/>: the parent hears of it once this lock is released.</summary>
    public void NotifyParent(Execution child, HistoryEvent closeEvent, Mutation mutation)
    {
        var notice = ClosedNotice(child, closeEvent);
        var parentNamespace = child.Started.ParentWorkflowNamespace;
        var parent = child.Started.ParentWorkflowExecution;
        var initiatedEventId = child.Started.ParentInitiatedEventId;
        mutation.After(() => DeliverToParent(parentNamespace, parent, initiatedEventId, notice.Event, notice.SetStartedEventId));
    }

    /// <summary>The closing parent's children follow their parent close policy once this lock is released.</summary>
    public void ApplyParentClosePolicy(IEnumerable<ChildInfo> children, Mutation mutation)
    {
        foreach (var child in children)
        {
            var (nsName, workflowId, runId) = (child.Attributes.Namespace, child.Attributes.WorkflowId, child.RunId);
            switch (child.Attributes.ParentClosePolicy)
            {
                case ParentClosePolicy.RequestCancel:
                    mutation.After(() => engine.Lifecycle.TryRequestCancel(nsName, workflowId, runId, "by parent close policy"));
                    break;
                case ParentClosePolicy.Terminate or ParentClosePolicy.Unspecified:
                    mutation.After(() => engine.Lifecycle.TryTerminate(nsName, workflowId, runId, "by parent close policy"));
                    break;
            }
        }
    }

    /// <summary>The event a parent gets when its child's run closes (by the child's close event), and how to give it the child's started event id.</summary>
    private (HistoryEvent Event, Action<long> SetStartedEventId) ClosedNotice(Execution child, HistoryEvent closeEvent)
    {
        var execution = new WorkflowExecution { WorkflowId = child.WorkflowId, RunId = child.RunId };
        var initiatedEventId = child.Started.ParentInitiatedEventId;
        var ns = child.Namespace;
        var workflowType = child.Started.WorkflowType;
        switch (closeEvent.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                var completed = new ChildWorkflowExecutionCompletedEventAttributes
                {
                    Result = closeEvent.WorkflowExecutionCompletedEventAttributes.Result,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = workflowType, InitiatedEventId = initiatedEventId,
                };
                return (engine.Events.ChildWorkflowExecutionCompleted(completed), startedEventId => completed.StartedEventId = startedEventId);
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes:
                var failed = new ChildWorkflowExecutionFailedEventAttributes
                {
                    Failure = closeEvent.WorkflowExecutionFailedEventAttributes.Failure,
                    RetryState = closeEvent.WorkflowExecutionFailedEventAttributes.RetryState,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = workflowType, InitiatedEventId = initiatedEventId,
                };
                return (engine.Events.ChildWorkflowExecutionFailed(failed), startedEventId => failed.StartedEventId = startedEventId);
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCanceledEventAttributes:
                var canceled = new ChildWorkflowExecutionCanceledEventAttributes
                {
                    Details = closeEvent.WorkflowExecutionCanceledEventAttributes.Details,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = workflowType, InitiatedEventId = initiatedEventId,
                };
                return (engine.Events.ChildWorkflowExecutionCanceled(canceled), startedEventId => canceled.StartedEventId = startedEventId);
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes:
                var timedOut = new ChildWorkflowExecutionTimedOutEventAttributes
                {
                    RetryState = closeEvent.WorkflowExecutionTimedOutEventAttributes.RetryState,
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = workflowType, InitiatedEventId = initiatedEventId,
                };
                return (engine.Events.ChildWorkflowExecutionTimedOut(timedOut), startedEventId => timedOut.StartedEventId = startedEventId);
            default:
                var terminated = new ChildWorkflowExecutionTerminatedEventAttributes
                {
                    Namespace = ns.Name, NamespaceId = ns.Id, WorkflowExecution = execution, WorkflowType = workflowType, InitiatedEventId = initiatedEventId,
                };
                return (engine.Events.ChildWorkflowExecutionTerminated(terminated), startedEventId => terminated.StartedEventId = startedEventId);
        }
    }

    private void DeliverToParent(string parentNamespace, WorkflowExecution parentExecution, long initiatedEventId, HistoryEvent notice, Action<long> setStartedEventId)
    {
        var ns = engine.GetNamespace(parentNamespace);
        if (!ns.Chains.TryGetValue(parentExecution.WorkflowId, out var chain))
        {
            return;
        }
        engine.Mutate(chain, mutation =>
        {
            var parent = chain.Find(parentExecution.RunId);
            if (parent is { IsRunning: true } && parent.Children.TryGetValue(initiatedEventId, out var child))
            {
                setStartedEventId(child.StartedEventId);
                engine.History.AddExternal(parent, notice, mutation);
            }
        });
    }
}
