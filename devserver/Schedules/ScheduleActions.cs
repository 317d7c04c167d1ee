using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Engine;
using Payments.DevServer.Visibility;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Schedule.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Schedules;

/// <summary>
/// What schedules do on the engine's clock: at each spec time (within the catch-up window, unless paused) an action
/// joins the buffer; the buffer starts workflows as the overlap policy allows; a workflow's close frees the way for
/// the next, hands its result (or failure) to it and may pause the schedule. Call the Process methods holding the gate.
/// </summary>
internal sealed class ScheduleActions
{
    /// <summary>The identity Temporal's scheduler starts workflows with.</summary>
    private const string SchedulerIdentity = "temporal-scheduler";

    private readonly TemporalEngine _engine;
    private readonly ScheduleRegistry _registry;
    private readonly ILogger _logger;

    public ScheduleActions(TemporalEngine engine, ScheduleRegistry registry, ILogger logger)
    {
        _engine = engine;
        _registry = registry;
        _logger = logger;
        engine.Lifecycle.ChainClosed += OnChainClosed;
    }

    /// <summary>Acts on the spec times up to now, drains the buffer, arms the next wake-up and stores the schedule.</summary>
    public async Task ProcessAsync(ScheduleRecord record)
    {
        var now = _engine.Clock.UtcNow;
        foreach (var time in record.Spec.Between(record.ProcessedUntil, now))
        {
            if (record.IsPaused || !record.HasActionsLeft)
            {
                continue;
            }
            if (now - time.Actual > record.CatchupWindow)
            {
                record.Info.MissedCatchupWindow++;
                continue;
            }
            record.Buffer.Add(new BufferedStart(time.Nominal, time.Actual, record.OverlapPolicy, Manual: false));
        }
        record.ProcessedUntil = now;
        await DrainBufferAsync(record);
        ArmWakeup(record);
        await _registry.PersistAsync(record);
    }

    /// <summary>Starts what the overlap policies allow, in order; what must wait for a running workflow stays buffered.</summary>
    private async Task DrainBufferAsync(ScheduleRecord record)
    {
        while (record.Buffer.Count > 0)
        {
            var next = record.Buffer[0];
            if (record.Info.RunningWorkflows.Count == 0 || next.Overlap == ScheduleOverlapPolicy.AllowAll)
            {
                record.Buffer.RemoveAt(0);
                if (next.Manual || record.HasActionsLeft)
                {
                    await StartAsync(record, next);
                }
                continue;
            }
            switch (next.Overlap)
            {
                case ScheduleOverlapPolicy.BufferOne:
                    // One start may wait behind the running workflow; later ones are skipped.
                    for (var index = record.Buffer.Count - 1; index > 0; index--)
                    {
                        if (record.Buffer[index].Overlap == ScheduleOverlapPolicy.BufferOne)
                        {
                            record.Buffer.RemoveAt(index);
                            record.Info.OverlapSkipped++;
                        }
                    }
                    break;
                case ScheduleOverlapPolicy.BufferAll:
                    break;
                case ScheduleOverlapPolicy.CancelOther:
                    await StopRunningAsync(record, terminate: false);
                    break;
                case ScheduleOverlapPolicy.TerminateOther:
                    await StopRunningAsync(record, terminate: true);
                    break;
                default:
                    record.Buffer.RemoveAt(0);
                    record.Info.OverlapSkipped++;
                    continue;
            }
            // The running workflow's close drains the rest.
            break;
        }
        record.Info.BufferSize = record.Buffer.Count;
    }

    private async Task StopRunningAsync(ScheduleRecord record, bool terminate)
    {
        foreach (var running in record.Info.RunningWorkflows.ToList())
        {
            var execution = new WorkflowExecution { WorkflowId = running.WorkflowId };
            try
            {
                if (terminate)
                {
                    await _engine.Lifecycle.TerminateAsync(new TerminateWorkflowExecutionRequest
                    {
                        Namespace = record.Namespace, WorkflowExecution = execution, Reason = "terminated by schedule overlap policy", Identity = SchedulerIdentity,
                    });
                }
                else
                {
                    await _engine.Lifecycle.RequestCancelAsync(new RequestCancelWorkflowExecutionRequest
                    {
                        Namespace = record.Namespace, WorkflowExecution = execution, Reason = "cancelled by schedule overlap policy", Identity = SchedulerIdentity,
                    });
                }
            }
            catch (RpcException notFound) when (notFound.StatusCode == StatusCode.NotFound)
            {
                // Already closed: its close notification is on its way.
            }
        }
    }

    private async Task StartAsync(ScheduleRecord record, BufferedStart start)
    {
        var action = record.Schedule.Action.StartWorkflow;
        var nominal = new DateTime(start.Nominal.Ticks - start.Nominal.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var workflowId = record.Schedule.Policies?.KeepOriginalWorkflowId == true ? action.WorkflowId : $"{action.WorkflowId}-{nominal:yyyy-MM-ddTHH:mm:ssZ}";
        var searchAttributes = action.SearchAttributes?.Clone() ?? new SearchAttributes();
        searchAttributes.IndexedFields["TemporalScheduledStartTime"] = SearchAttributeValues.Encode(start.Actual, IndexedValueType.Datetime);
        searchAttributes.IndexedFields["TemporalScheduledById"] = SearchAttributeValues.Encode(record.ScheduleId, IndexedValueType.Keyword);
        var request = new StartWorkflowExecutionRequest
        {
            Namespace = record.Namespace,
            WorkflowId = workflowId,
            WorkflowType = action.WorkflowType,
            TaskQueue = action.TaskQueue,
            Input = action.Input,
            WorkflowExecutionTimeout = action.WorkflowExecutionTimeout,
            WorkflowRunTimeout = action.WorkflowRunTimeout,
            WorkflowTaskTimeout = action.WorkflowTaskTimeout,
            RetryPolicy = action.RetryPolicy,
            Memo = action.Memo,
            SearchAttributes = searchAttributes,
            Header = action.Header,
            UserMetadata = action.UserMetadata,
            Priority = action.Priority,
            Identity = SchedulerIdentity,
            RequestId = $"{record.ScheduleId}:{start.Nominal.Ticks}:{start.Actual.Ticks}:{start.Manual}",
            WorkflowIdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate,
            LastCompletionResult = record.LastCompletionResult,
            ContinuedFailure = record.LastFailure,
        };
        StartWorkflowExecutionResponse started;
        // Tracked before the start: a run that closes before this start is recorded still finds its schedule, and its
        // close waits at the gate this start holds.
        _registry.TrackRunning(record, workflowId);
        try
        {
            started = await _engine.Lifecycle.StartAsync(request);
        }
        catch (RpcException refused)
        {
            if (!record.Info.RunningWorkflows.Any(running => running.WorkflowId == workflowId))
            {
                _registry.UntrackRunning(record, workflowId);
            }
            _logger.LogWarning("Schedule {ScheduleId} could not start workflow {WorkflowId}: {Reason}", record.ScheduleId, workflowId, refused.Status.Detail);
            return;
        }
        var execution = new WorkflowExecution { WorkflowId = workflowId, RunId = started.RunId };
        record.Info.ActionCount++;
        if (record.Schedule.State is { LimitedActions: true } state && !start.Manual)
        {
            state.RemainingActions--;
        }
        record.Info.RecentActions.Add(new ScheduleActionResult
        {
            ScheduleTime = Timestamp.FromDateTime(start.Actual),
            ActualTime = Timestamp.FromDateTime(_engine.Clock.UtcNow),
            StartWorkflowResult = execution,
            StartWorkflowStatus = WorkflowExecutionStatus.Running,
        });
        while (record.Info.RecentActions.Count > ScheduleRecord.RecentActionCount)
        {
            record.Info.RecentActions.RemoveAt(0);
        }
        record.Info.RunningWorkflows.Add(execution);
    }

    /// <summary>Arms the clock for the next spec time (paused schedules too: their times pass unacted, as in Temporal).</summary>
    public void ArmWakeup(ScheduleRecord record)
    {
        record.Wakeup?.Cancel();
        record.Wakeup = null;
        if (record.Spec.Next(record.ProcessedUntil) is not { } next)
        {
            return;
        }
        record.Wakeup = _engine.Clock.Schedule(next.Actual, () => RunHoldingTime(async () =>
        {
            if (_registry.Find(record.Namespace, record.ScheduleId) == record)
            {
                await ProcessAsync(record);
            }
        }));
    }

    /// <summary>
    /// The engine tells of every chain that ended; those a schedule started free its way. Runs inside the engine's
    /// change, so it only holds virtual time (no skipping past the next start) and hands the work on.
    /// </summary>
    private void OnChainClosed(Engine.Execution run, HistoryEvent closeEvent)
    {
        if (_registry.StartedBy(run.Namespace.Name, run.WorkflowId) is not { } record)
        {
            return;
        }
        var outcome = new ClosedWorkflow(run.WorkflowId, run.Status, closeEvent);
        RunHoldingTime(() => OnWorkflowClosedAsync(record, outcome));
    }

    public async Task OnWorkflowClosedAsync(ScheduleRecord record, ClosedWorkflow closed)
    {
        var running = record.Info.RunningWorkflows.FirstOrDefault(workflow => workflow.WorkflowId == closed.WorkflowId);
        if (running is null)
        {
            return;
        }
        record.Info.RunningWorkflows.Remove(running);
        _registry.UntrackRunning(record, closed.WorkflowId);
        foreach (var action in record.Info.RecentActions.Where(recent => recent.StartWorkflowResult?.WorkflowId == closed.WorkflowId))
        {
            action.StartWorkflowStatus = closed.Status;
        }
        switch (closed.CloseEvent.AttributesCase)
        {
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionCompletedEventAttributes:
                record.LastCompletionResult = closed.CloseEvent.WorkflowExecutionCompletedEventAttributes.Result;
                record.LastFailure = null;
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionFailedEventAttributes:
                PauseOnFailure(record, closed, closed.CloseEvent.WorkflowExecutionFailedEventAttributes.Failure);
                break;
            case HistoryEvent.AttributesOneofCase.WorkflowExecutionTimedOutEventAttributes:
                PauseOnFailure(record, closed, new Failure { Message = "workflow timeout", TimeoutFailureInfo = new TimeoutFailureInfo { TimeoutType = TimeoutType.StartToClose } });
                break;
        }
        await ProcessAsync(record);
    }

    private static void PauseOnFailure(ScheduleRecord record, ClosedWorkflow closed, Failure failure)
    {
        record.LastFailure = failure;
        if (record.Schedule.Policies?.PauseOnFailure == true)
        {
            record.Schedule.State ??= new ScheduleState();
            record.Schedule.State.Paused = true;
            record.Schedule.State.Notes = $"paused due to workflow failure: {closed.WorkflowId}: {failure.Message}";
        }
    }

    /// <summary>Runs schedule work under the gate while virtual time stands still, so time skipping cannot overtake it.</summary>
    private void RunHoldingTime(Func<Task> work)
    {
        _engine.Clock.Lock();
        _ = Task.Run(async () =>
        {
            try
            {
                await _registry.Gate.WaitAsync();
                try
                {
                    await work();
                }
                finally
                {
                    _registry.Gate.Release();
                }
            }
            catch (Exception error)
            {
                _logger.LogError(error, "Schedule work failed");
            }
            finally
            {
                _engine.Clock.Unlock();
            }
        });
    }
}

/// <summary>How a workflow a schedule started ended.</summary>
internal sealed record ClosedWorkflow(string WorkflowId, WorkflowExecutionStatus Status, HistoryEvent CloseEvent);
