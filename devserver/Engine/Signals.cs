using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Signals from clients (request-id dedup), and the signal-external and cancel-external commands: the initiated event
/// in the requesting run, delivery to the target after the lock, then the outcome back in the requesting run.
/// </summary>
internal sealed class Signals(TemporalEngine engine)
{
    public async Task<SignalWorkflowExecutionResponse> SignalAsync(SignalWorkflowExecutionRequest request)
    {
        engine.Blobs.Check(request.Input, "signal input", request.WorkflowExecution?.WorkflowId ?? "");
        await engine.MutateOpenRunAsync(request.Namespace, request.WorkflowExecution, (run, mutation) =>
        {
            if (string.IsNullOrEmpty(request.RequestId) || !run.SignalRequestIds.Contains(request.RequestId))
            {
                engine.History.AddExternal(run, engine.Events.WorkflowExecutionSignaled(request.SignalName, request.Input, request.Identity, request.Header, request.RequestId), mutation);
            }
        });
        return new SignalWorkflowExecutionResponse();
    }

    /// <summary>Signal-external and cancel-external commands: the initiated event now, delivery after the lock.</summary>
    public void InitiateExternal(Execution run, Command command, long completedEventId, Mutation mutation)
    {
        HistoryEvent initiated;
        if (command.CommandType == CommandType.SignalExternalWorkflowExecution)
        {
            var signal = command.SignalExternalWorkflowExecutionCommandAttributes;
            initiated = engine.Events.SignalExternalWorkflowExecutionInitiated(new SignalExternalWorkflowExecutionInitiatedEventAttributes
            {
                Namespace = string.IsNullOrEmpty(signal.Namespace) ? run.Namespace.Name : signal.Namespace,
                NamespaceId = run.Namespace.Id,
                WorkflowExecution = signal.Execution,
                SignalName = signal.SignalName,
                Input = signal.Input,
                Control = signal.Control,
                ChildWorkflowOnly = signal.ChildWorkflowOnly,
                Header = signal.Header,
                WorkflowTaskCompletedEventId = completedEventId,
            }, command.UserMetadata);
        }
        else
        {
            var cancel = command.RequestCancelExternalWorkflowExecutionCommandAttributes;
            initiated = engine.Events.RequestCancelExternalWorkflowExecutionInitiated(new RequestCancelExternalWorkflowExecutionInitiatedEventAttributes
            {
                Namespace = string.IsNullOrEmpty(cancel.Namespace) ? run.Namespace.Name : cancel.Namespace,
                NamespaceId = run.Namespace.Id,
                WorkflowExecution = new WorkflowExecution { WorkflowId = cancel.WorkflowId, RunId = cancel.RunId },
                Control = cancel.Control,
                ChildWorkflowOnly = cancel.ChildWorkflowOnly,
                Reason = cancel.Reason,
                WorkflowTaskCompletedEventId = completedEventId,
            }, command.UserMetadata);
        }
        HistoryWriter.Append(run, initiated, mutation);
        mutation.After(() => DeliverExternal(run, initiated));
    }

    /// <summary>Delivers a signal/cancel to its target and records the outcome in the requesting run (used live and on restore).</summary>
    public void DeliverExternal(Execution source, HistoryEvent initiated)
    {
        var isSignal = initiated.AttributesCase == HistoryEvent.AttributesOneofCase.SignalExternalWorkflowExecutionInitiatedEventAttributes;
        var nsName = isSignal ? initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes.Namespace : initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.Namespace;
        var target = isSignal ? initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes.WorkflowExecution : initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.WorkflowExecution;
        var ns = engine.GetNamespace(nsName);
        var sourceExecution = new WorkflowExecution { WorkflowId = source.WorkflowId, RunId = source.RunId };
        var delivered = false;
        if (ns.Chains.TryGetValue(target.WorkflowId, out var chain))
        {
            delivered = engine.Mutate(chain, mutation =>
            {
                var targetRun = chain == source.Chain ? source : chain.Find(target.RunId);
                if (targetRun is not { IsRunning: true })
                {
                    return false;
                }
                DeliverTo(targetRun, source, initiated, isSignal, sourceExecution, mutation);
                return true;
            });
        }
        engine.Mutate(source.Chain, mutation =>
        {
            if (source.IsRunning && source.ExternalRequests.ContainsKey(initiated.EventId))
            {
                engine.History.AddExternal(source, ExternalOutcome(initiated, isSignal, delivered, ns, target), mutation);
            }
        });
    }

    private void DeliverTo(Execution target, Execution source, HistoryEvent initiated, bool isSignal, WorkflowExecution sourceExecution, Mutation mutation)
    {
        if (!isSignal)
        {
            engine.Lifecycle.RequestCancel(target, initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes.Reason, "", (initiated.EventId, sourceExecution), mutation);
            return;
        }
        var attributes = initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes;
        var requestId = $"{source.RunId}:{initiated.EventId}";
        // A signal to itself is never a duplicate; one to another run is delivered once even when retried after a restart.
        if (target == source || !target.SignalRequestIds.Contains(requestId))
        {
            engine.History.AddExternal(target, engine.Events.WorkflowExecutionSignaled(attributes.SignalName, attributes.Input, "", attributes.Header, requestId, sourceExecution), mutation);
        }
    }

    private HistoryEvent ExternalOutcome(HistoryEvent initiated, bool isSignal, bool delivered, NamespaceState ns, WorkflowExecution target)
    {
        if (isSignal)
        {
            var signal = initiated.SignalExternalWorkflowExecutionInitiatedEventAttributes;
            return delivered
                ? engine.Events.ExternalWorkflowExecutionSignaled(new ExternalWorkflowExecutionSignaledEventAttributes
                {
                    InitiatedEventId = initiated.EventId, Namespace = signal.Namespace, NamespaceId = ns.Id, WorkflowExecution = target, Control = signal.Control,
                })
                : engine.Events.SignalExternalWorkflowExecutionFailed(new SignalExternalWorkflowExecutionFailedEventAttributes
                {
                    Cause = SignalExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound,
                    InitiatedEventId = initiated.EventId, Namespace = signal.Namespace, NamespaceId = ns.Id, WorkflowExecution = target, Control = signal.Control,
                });
        }
        var cancel = initiated.RequestCancelExternalWorkflowExecutionInitiatedEventAttributes;
        return delivered
            ? engine.Events.ExternalWorkflowExecutionCancelRequested(new ExternalWorkflowExecutionCancelRequestedEventAttributes
            {
                InitiatedEventId = initiated.EventId, Namespace = cancel.Namespace, NamespaceId = ns.Id, WorkflowExecution = target,
            })
            : engine.Events.RequestCancelExternalWorkflowExecutionFailed(new RequestCancelExternalWorkflowExecutionFailedEventAttributes
            {
                Cause = CancelExternalWorkflowExecutionFailedCause.ExternalWorkflowExecutionNotFound,
                InitiatedEventId = initiated.EventId, Namespace = cancel.Namespace, NamespaceId = ns.Id, WorkflowExecution = target, Control = cancel.Control,
            });
    }
}
