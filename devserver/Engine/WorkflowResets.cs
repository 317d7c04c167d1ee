using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Reset, as Temporal's history service does it: a new run of the chain whose history is the base run's up to the
/// chosen workflow task, that task failed with cause ResetWorkflow, the current run terminated with the reset's
/// reason, and the signals and updates that came after the point re-applied unless excluded.
/// </summary>
internal sealed class WorkflowResets(TemporalEngine engine)
{
    /// <summary>Temporal's identities for what its history service writes in a reset.</summary>
    private const string ResetterIdentity = "history-resetter";

    private const string HistoryServiceIdentity = "history-service";

    public async Task<ResetWorkflowExecutionResponse> ResetAsync(ResetWorkflowExecutionRequest request)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.WorkflowExecution?.WorkflowId ?? "");
        var reset = await engine.MutateAsync(chain, mutation => Reset(chain, request, mutation));
        return new ResetWorkflowExecutionResponse { RunId = reset.RunId };
    }

    private Execution Reset(WorkflowChain chain, ResetWorkflowExecutionRequest request, Mutation mutation)
    {
        // A retried reset call answers the run the first one made.
        if (!string.IsNullOrEmpty(request.RequestId) && chain.StartRequestIds.TryGetValue(request.RequestId, out var knownRun) && chain.Find(knownRun) is { } done)
        {
            return done;
        }
        var baseRun = TemporalEngine.GetRun(chain, request.WorkflowExecution!.RunId);
        var finishEventId = request.WorkflowTaskFinishEventId;
        if (finishEventId <= 1 || finishEventId > baseRun.History.Count)
        {
            throw TemporalErrors.InvalidArgument("Workflow task finish ID must be > 1 && <= workflow last event ID.");
        }
        var resetRun = Rebuild(baseRun, finishEventId);
        if (chain.Current is { IsRunning: true } current)
        {
            engine.Lifecycle.Terminate(current, request.Reason, mutation, ResetterIdentity);
        }
        var reapplied = EventsAfter(chain, baseRun, finishEventId);
        chain.Runs.Add(resetRun);
        mutation.Touch(resetRun);
        if (!string.IsNullOrEmpty(request.RequestId))
        {
            chain.StartRequestIds[request.RequestId] = resetRun.RunId;
        }
        FailResetTask(resetRun, baseRun, request.Reason, mutation);
        Reapply(resetRun, reapplied, Excluded(request), mutation);
        Arm(resetRun, mutation);
        return resetRun;
    }

    /// <summary>
    /// The new run with the base's events before <paramref name="finishEventId"/>; refused unless a workflow task is
    /// pending there and no child is, as Temporal refuses it. Nothing is armed yet, so a refusal leaves no trace.
    /// </summary>
    private Execution Rebuild(Execution baseRun, long finishEventId)
    {
        var resetRun = new Execution(baseRun.Chain, Guid.NewGuid().ToString(), engine.Clock);
        var scratch = new Mutation();
        foreach (var copied in baseRun.History.Take((int)finishEventId - 1))
        {
            HistoryWriter.Append(resetRun, copied.Clone(), scratch);
        }
        if (resetRun.WorkflowTask is null)
        {
            throw TemporalErrors.InvalidArgument($"Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: {finishEventId}");
        }
        if (resetRun.Children.Count > 0)
        {
            throw TemporalErrors.InvalidArgument("WorkflowResetter encountered pending child workflows.");
        }
        return resetRun;
    }

    /// <summary>The workflow task at the reset point ends as failed by the reset (started first if it was only scheduled).</summary>
    private void FailResetTask(Execution resetRun, Execution baseRun, string reason, Mutation mutation)
    {
        var task = resetRun.WorkflowTask!;
        if (!task.IsStarted)
        {
            HistoryWriter.Append(resetRun, engine.Events.WorkflowTaskStarted(task.ScheduledEventId, HistoryServiceIdentity, resetRun.HistorySizeBytes, false), mutation);
        }
        var failure = new Failure { Message = reason, ResetWorkflowFailureInfo = new ResetWorkflowFailureInfo() };
        HistoryWriter.Append(resetRun, engine.Events.WorkflowTaskFailed(task, WorkflowTaskFailedCause.ResetWorkflow, failure, HistoryServiceIdentity, baseRun.RunId, resetRun.RunId), mutation);
    }

    /// <summary>Events after the point: the rest of the base run and of every run of the chain that followed it.</summary>
    private static List<HistoryEvent> EventsAfter(WorkflowChain chain, Execution baseRun, long finishEventId) =>
        baseRun.History.Skip((int)finishEventId - 1)
            .Concat(chain.Runs.SkipWhile(run => run != baseRun).Skip(1).SelectMany(run => run.History))
            .ToList();

    /// <summary>Temporal's reading of the deprecated reapply type and the exclude list together.</summary>
    private static HashSet<ResetReapplyExcludeType> Excluded(ResetWorkflowExecutionRequest request)
    {
        var excluded = request.ResetReapplyExcludeTypes.ToHashSet();
        if (request.ResetReapplyType == ResetReapplyType.Signal)
        {
            excluded.Add(ResetReapplyExcludeType.Update);
        }
        else if (request.ResetReapplyType == ResetReapplyType.None)
        {
            excluded.Add(ResetReapplyExcludeType.Signal);
            excluded.Add(ResetReapplyExcludeType.Update);
        }
        return excluded;
    }

    /// <summary>
    /// Signals arrive again as signals and updates as admitted updates (each one admitted or accepted after the point,
    /// an accepted one only if its event holds the request), in their order, as Temporal's resetter re-applies them.
    /// </summary>
    private void Reapply(Execution resetRun, List<HistoryEvent> events, HashSet<ResetReapplyExcludeType> excluded, Mutation mutation)
    {
        var signals = !excluded.Contains(ResetReapplyExcludeType.Signal);
        var updates = !excluded.Contains(ResetReapplyExcludeType.Update);
        foreach (var historyEvent in events)
        {
            if (signals && historyEvent.WorkflowExecutionSignaledEventAttributes is { } signal)
            {
                HistoryWriter.Append(resetRun, engine.Events.WorkflowExecutionSignaled(signal.SignalName, signal.Input, signal.Identity, signal.Header, signal.RequestId, signal.ExternalWorkflowExecution), mutation);
            }
            else if (updates && (historyEvent.WorkflowExecutionUpdateAdmittedEventAttributes?.Request ?? historyEvent.WorkflowExecutionUpdateAcceptedEventAttributes?.AcceptedRequest) is { } update)
            {
                HistoryWriter.Append(resetRun, engine.Events.WorkflowExecutionUpdateAdmitted(update, UpdateAdmittedEventOrigin.Reapply), mutation);
            }
        }
    }

    /// <summary>The reset run goes on from its state: pending activities queued anew, timers and timeouts armed, a workflow task scheduled.</summary>
    private void Arm(Execution resetRun, Mutation mutation)
    {
        resetRun.Namespace.Visibility.Upsert(HistoryReader.DescribeInfo(resetRun));
        engine.Lifecycle.ArmRunTimeout(resetRun);
        foreach (var timer in resetRun.Timers.Values)
        {
            engine.Timers.Arm(resetRun, timer);
        }
        foreach (var activity in resetRun.Activities.Values)
        {
            activity.AttemptScheduledTime = engine.Clock.UtcNow;
            engine.Activities.Arm(resetRun, activity);
        }
        engine.WorkflowTasks.Schedule(resetRun, mutation);
    }

    /// <summary>Temporal's automatic reset points: the first workflow task each build (or binary) completed in the run.</summary>
    public static ResetPoints AutoResetPoints(Execution run)
    {
        var points = new ResetPoints();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var historyEvent in run.History.Where(historyEvent => historyEvent.WorkflowTaskCompletedEventAttributes is not null))
        {
            var completed = historyEvent.WorkflowTaskCompletedEventAttributes;
            var buildId = completed.WorkerVersion?.BuildId ?? "";
            if (!seen.Add($"{buildId}\n{completed.BinaryChecksum}"))
            {
                continue;
            }
            points.Points.Add(new ResetPointInfo
            {
                BuildId = buildId,
                BinaryChecksum = completed.BinaryChecksum,
                RunId = run.RunId,
                FirstWorkflowTaskCompletedId = historyEvent.EventId,
                CreateTime = historyEvent.EventTime,
                Resettable = true,
            });
        }
        return points;
    }
}
