using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>A workflow task waiting on a queue; stale once the run moved on.</summary>
internal sealed record WorkflowTaskRef(Execution Execution, long ScheduledEventId, int Attempt);

/// <summary>
/// Workflow tasks: scheduled on the normal or sticky queue, started by a poll, completed with commands (applied by
/// <see cref="WorkflowCommands"/>) or failed, timed out; a sticky queue nobody polls falls back to the normal one.
/// </summary>
internal sealed class WorkflowTasks(TemporalEngine engine)
{
    /// <summary>A sticky queue nobody polled for this long is treated as gone.</summary>
    private static readonly TimeSpan StickyPollerWindow = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan DefaultStickyScheduleToStart = TimeSpan.FromSeconds(10);

    public void Schedule(Execution run, Mutation mutation)
    {
        AppendScheduled(run, mutation);
        Arm(run);
    }

    private void AppendScheduled(Execution run, Mutation mutation) =>
        HistoryWriter.Append(run, engine.Events.WorkflowTaskScheduled(NextQueue(run), run.Started.WorkflowTaskTimeout, run.NextWorkflowTaskAttempt), mutation);

    /// <summary>
    /// The task that brings an update to an idle workflow: speculative, as Temporal's; its events are written only if
    /// its outcome is kept (see <see cref="ChangesNothing"/>), so an update the workflow rejects leaves no trace.
    /// </summary>
    public void ScheduleForUpdate(Execution run, Mutation mutation)
    {
        var scheduled = engine.Events.WorkflowTaskScheduled(NextQueue(run), run.Started.WorkflowTaskTimeout, 1);
        scheduled.EventId = run.NextEventId;
        run.BeginSpeculativeTask(scheduled);
        Arm(run);
    }

    /// <summary>The sticky queue while its worker still polls it, else the workflow's own queue.</summary>
    private TaskQueue NextQueue(Execution run)
    {
        var normal = run.Started.TaskQueue.Name;
        if (run.StickyQueue is { } sticky && !(engine.Queues.Find(run.Namespace.Name, sticky, TaskQueueType.Workflow)?.HasRecentPoller(StickyPollerWindow) ?? false))
        {
            run.StickyQueue = null;
        }
        return run.StickyQueue is null
            ? new TaskQueue { Name = normal, Kind = TaskQueueKind.Normal }
            : new TaskQueue { Name = run.StickyQueue, Kind = TaskQueueKind.Sticky, NormalName = normal };
    }

    /// <summary>Puts a scheduled workflow task on its queue, or times a started one (used live and on restore).</summary>
    public void Arm(Execution run)
    {
        var task = run.WorkflowTask!;
        run.Armed.HoldForWorkflowTask();
        run.Armed.WorkflowTaskTimeout?.Cancel();
        var timeoutType = task.IsStarted ? TimeoutType.StartToClose : TimeoutType.ScheduleToStart;
        if (!task.IsStarted)
        {
            engine.Queues.Get(run.Namespace.Name, task.Queue, TaskQueueType.Workflow).Add(new WorkflowTaskRef(run, task.ScheduledEventId, task.Attempt));
            if (!task.Sticky)
            {
                return;
            }
        }
        var due = task.IsStarted ? task.StartedTime + task.StartToClose : task.ScheduledTime + run.StickyScheduleToStart;
        run.Armed.WorkflowTaskTimeout = engine.Clock.Schedule(due, () => engine.Mutate(run.Chain, mutation => OnTimeout(run, task, timeoutType, mutation)));
    }

    /// <summary>After a restore: sticky queues died with the process that polled them, so later tasks go to the normal queue.</summary>
    public void Reactivate(Execution run)
    {
        run.StickyQueue = null;
        if (run.WorkflowTask is { IsStarted: false, Sticky: true } stuck)
        {
            engine.Mutate(run.Chain, mutation => OnTimeout(run, stuck, TimeoutType.ScheduleToStart, mutation));
        }
        else if (run.WorkflowTask is not null)
        {
            Arm(run);
        }
        else if (!run.History.Any(historyEvent => historyEvent.EventType == EventType.WorkflowTaskScheduled))
        {
            engine.Mutate(run.Chain, mutation => engine.Lifecycle.ArmFirstWorkflowTask(run, mutation));
        }
    }

    private void OnTimeout(Execution run, WorkflowTaskInfo task, TimeoutType timeoutType, Mutation mutation)
    {
        if (!run.IsRunning || run.WorkflowTask != task || task.IsStarted != (timeoutType == TimeoutType.StartToClose))
        {
            return;
        }
        HistoryWriter.Append(run, engine.Events.WorkflowTaskTimedOut(task, timeoutType), mutation);
        HistoryWriter.FlushBuffered(run, mutation);
        Schedule(run, mutation);
    }

    public async Task<PollWorkflowTaskQueueResponse> PollAsync(PollWorkflowTaskQueueRequest request, CancellationToken cancellationToken)
    {
        var ns = engine.GetNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
        var queue = engine.Queues.Get(ns.Name, request.TaskQueue.Name, TaskQueueType.Workflow);
        var task = await queue.PollAsync(request.Identity, TemporalEngine.PollHold, item => TryStart(item, request), engine.Workers.PollRelease(request.WorkerInstanceKey), cancellationToken);
        return task ?? new PollWorkflowTaskQueueResponse();
    }

    private PollWorkflowTaskQueueResponse? TryStart(object item, PollWorkflowTaskQueueRequest request)
    {
        if (item is QueryTask query)
        {
            return query.IsAnswered ? null : engine.Mutate(query.Execution.Chain, _ => WorkflowQueries.TaskResponse(query));
        }
        var reference = (WorkflowTaskRef)item;
        var run = reference.Execution;
        return engine.Mutate(run.Chain, mutation =>
        {
            var task = run.WorkflowTask;
            if (!run.IsRunning || task is null || task.IsStarted || task.ScheduledEventId != reference.ScheduledEventId || task.Attempt != reference.Attempt)
            {
                return null;
            }
            // A sticky task carries only the events since the worker's last task; a normal one the whole history.
            return Start(run, task, request.Identity, task.Sticky ? run.PreviousStartedEventId : 0, mutation);
        });
    }

    /// <summary>Starts a scheduled task for a worker and answers it with the history from <paramref name="historyFromEventId"/> on.</summary>
    private PollWorkflowTaskQueueResponse Start(Execution run, WorkflowTaskInfo task, string identity, long historyFromEventId, Mutation mutation)
    {
        var started = engine.Events.WorkflowTaskStarted(task.ScheduledEventId, identity, run.HistorySizeBytes, engine.HistoryLimits.SuggestContinueAsNew(run));
        if (task.IsSpeculative)
        {
            started.EventId = task.ScheduledEventId + 1;
            task.Unwritten.Add(started);
            task.StartedEventId = started.EventId;
            task.StartedTime = started.EventTime.ToDateTime();
        }
        else
        {
            HistoryWriter.Append(run, started, mutation);
        }
        Arm(run);
        var history = new History();
        history.Events.AddRange(run.History.Skip((int)historyFromEventId));
        history.Events.AddRange(task.Unwritten.Select(unwritten => unwritten.Clone()));
        return new PollWorkflowTaskQueueResponse
        {
            Messages = { WorkflowUpdates.RequestMessages(run, started.EventId) },
            TaskToken = new TaskToken(TaskTokenKind.Workflow, run.Namespace.Name, run.WorkflowId, run.RunId, task.ScheduledEventId, task.Attempt).ToByteString(),
            WorkflowExecution = new WorkflowExecution { WorkflowId = run.WorkflowId, RunId = run.RunId },
            WorkflowType = run.Started.WorkflowType,
            PreviousStartedEventId = run.PreviousStartedEventId,
            StartedEventId = started.EventId,
            Attempt = task.Attempt,
            History = history,
            WorkflowExecutionTaskQueue = new TaskQueue { Name = run.Started.TaskQueue.Name, Kind = TaskQueueKind.Normal },
            ScheduledTime = Timestamp.FromDateTime(task.ScheduledTime),
            StartedTime = started.EventTime,
        };
    }

    /// <summary>Finds the chain a workflow task token names.</summary>
    private (WorkflowChain Chain, TaskToken Token) ResolveToken(ByteString taskToken)
    {
        var token = TaskToken.Parse(taskToken, TaskTokenKind.Workflow);
        var ns = engine.GetNamespace(token.Namespace);
        return ns.Chains.TryGetValue(token.WorkflowId, out var chain)
            ? (chain, token)
            : throw TemporalErrors.NotFound("Workflow task not found.");
    }

    /// <summary>The run a token names and its task, if that task is still the started one. Call under the chain's lock.</summary>
    private static WorkflowTaskInfo StartedTask(WorkflowChain chain, TaskToken token, out Execution run)
    {
        run = chain.Find(token.RunId) ?? throw TemporalErrors.NotFound("Workflow task not found.");
        var task = run.WorkflowTask;
        if (!run.IsRunning || task is not { IsStarted: true } || task.ScheduledEventId != token.EventId || task.Attempt != token.Attempt)
        {
            throw TemporalErrors.NotFound("Workflow task not found.");
        }
        return task;
    }

    public async Task<RespondWorkflowTaskCompletedResponse> CompleteAsync(RespondWorkflowTaskCompletedRequest request)
    {
        var (chain, token) = ResolveToken(request.TaskToken);
        var response = new RespondWorkflowTaskCompletedResponse();
        var refusal = await engine.MutateAsync(chain, mutation =>
        {
            var task = StartedTask(chain, token, out var run);
            return Complete(run, task, request, response, mutation);
        });
        // As Temporal: the failure is recorded and the next task scheduled, then the worker hears why; on "UnhandledCommand"
        // the SDK drops its cached run and replays the next task, which carries the events it had not seen.
        return refusal is null ? response : throw TemporalErrors.InvalidArgument(refusal.Answer);
    }

    /// <summary>Applies a completion; answers the refusal when its commands were refused (the task failed instead).</summary>
    private BadCommand? Complete(Execution run, WorkflowTaskInfo task, RespondWorkflowTaskCompletedRequest request, RespondWorkflowTaskCompletedResponse response, Mutation mutation)
    {
        if (engine.Commands.Validate(run, request.Commands) is { } refusal)
        {
            Fail(run, task, refusal.Cause, new Failure { Message = refusal.Answer, ServerFailureInfo = new ServerFailureInfo { NonRetryable = true } }, request.Identity, mutation);
            return refusal;
        }
        if (request.StickyAttributes?.WorkerTaskQueue?.Name is { Length: > 0 } sticky)
        {
            run.StickyQueue = sticky;
            run.StickyScheduleToStart = request.StickyAttributes.ScheduleToStartTimeout.ToTimeSpanOrZero() is var timeout && timeout > TimeSpan.Zero ? timeout : DefaultStickyScheduleToStart;
        }
        else
        {
            run.StickyQueue = null;
        }
        if (task.IsSpeculative && ChangesNothing(run, request))
        {
            Discard(run, request, mutation);
            // The SDK rolls its history back to the last task it completed, dropping the speculative task's events.
            response.ResetHistoryEventId = run.PreviousStartedEventId;
            return null;
        }
        var completedEventId = HistoryWriter.Append(run, engine.Events.WorkflowTaskCompleted(new WorkflowTaskCompletedEventAttributes
        {
            ScheduledEventId = task.ScheduledEventId,
            StartedEventId = task.StartedEventId,
            Identity = request.Identity,
            BinaryChecksum = request.BinaryChecksum,
            WorkerVersion = WorkerVersion(request),
            SdkMetadata = request.SdkMetadata,
            MeteringMetadata = request.MeteringMetadata,
            Deployment = request.Deployment,
            VersioningBehavior = request.VersioningBehavior,
            WorkerDeploymentName = request.DeploymentOptions?.DeploymentName ?? "",
        }), mutation);
        var needsTask = request.ForceCreateNewWorkflowTask;
        var messages = request.Messages.ToDictionary(message => message.Id);
        foreach (var command in request.Commands)
        {
            if (!run.IsRunning)
            {
                break;
            }
            if (command.CommandType == CommandType.ProtocolMessage)
            {
                if (messages.Remove(command.ProtocolMessageCommandAttributes.MessageId, out var message))
                {
                    engine.Updates.ApplyMessage(run, message, mutation);
                }
                continue;
            }
            needsTask |= engine.Commands.Apply(run, command, completedEventId, mutation);
        }
        foreach (var message in request.Messages.Where(message => messages.ContainsKey(message.Id)))
        {
            engine.Updates.ApplyMessage(run, message, mutation);
        }
        // An update that arrived while this task ran still waits for the worker.
        needsTask |= WorkflowUpdates.AwaitingDelivery(run).Any();
        if (run.IsRunning && engine.HistoryLimits.Exceeded(run) is { } reason)
        {
            engine.Lifecycle.Terminate(run, reason, mutation);
        }
        if (run.IsRunning && (HistoryWriter.FlushBuffered(run, mutation) | needsTask))
        {
            ScheduleNext(run, request, response, mutation);
        }
        engine.Queries.ReleaseParked(run);
        return null;
    }

    /// <summary>
    /// The task a completion calls for. A worker that asks for it gets it started in the answer, never queued, as from
    /// Temporal: how the SDK keeps a task alive while local activities outlive its timeout (a heartbeat completion,
    /// <c>force_create_new_workflow_task</c>), with only the events since the task it completed.
    /// </summary>
    private void ScheduleNext(Execution run, RespondWorkflowTaskCompletedRequest request, RespondWorkflowTaskCompletedResponse response, Mutation mutation)
    {
        if (!request.ReturnNewWorkflowTask)
        {
            Schedule(run, mutation);
            return;
        }
        AppendScheduled(run, mutation);
        response.WorkflowTask = Start(run, run.WorkflowTask!, request.Identity, run.PreviousStartedEventId, mutation);
    }

    /// <summary>
    /// Temporal drops a speculative task whose answer has no commands and only rejects updates, provided the worker saw
    /// no events since its last completed task, or says it copes with seeing them again and they are few (at most
    /// Temporal's DiscardSpeculativeWorkflowTaskMaximumEventsCount, 10).
    /// </summary>
    private static bool ChangesNothing(Execution run, RespondWorkflowTaskCompletedRequest request)
    {
        var eventsSinceLastTask = run.NextEventId - (run.PreviousStartedEventId + 2);
        var eventsAllowed = request.Capabilities?.DiscardSpeculativeWorkflowTaskWithEvents == true ? 10 : 0;
        return request.Commands.Count == 0 && !request.ForceCreateNewWorkflowTask && eventsSinceLastTask <= eventsAllowed
            && request.Messages.All(message => message.Body.Is(Rejection.Descriptor));
    }

    /// <summary>A speculative task that only rejected updates: the rejections answer their callers and the task vanishes.</summary>
    private void Discard(Execution run, RespondWorkflowTaskCompletedRequest request, Mutation mutation)
    {
        foreach (var rejection in request.Messages)
        {
            engine.Updates.ApplyMessage(run, rejection, mutation);
        }
        run.DiscardSpeculativeTask();
        run.Armed.EndWorkflowTask();
        if (WorkflowUpdates.AwaitingDelivery(run).Any())
        {
            ScheduleForUpdate(run, mutation);
        }
        engine.Queries.ReleaseParked(run);
    }

    /// <summary>
    /// The build that completed the task, as the SDK reads it back on replay: the worker's version stamp, or the build id
    /// of its deployment options (what SDKs with deployments send instead).
    /// </summary>
    private static WorkerVersionStamp? WorkerVersion(RespondWorkflowTaskCompletedRequest request) =>
        request.WorkerVersionStamp ?? (request.DeploymentOptions is { BuildId.Length: > 0 } options
            ? new WorkerVersionStamp { BuildId = options.BuildId, UseVersioning = options.WorkerVersioningMode == WorkerVersioningMode.Versioned }
            : null);

    public async Task<RespondWorkflowTaskFailedResponse> FailAsync(RespondWorkflowTaskFailedRequest request)
    {
        var (chain, token) = ResolveToken(request.TaskToken);
        await engine.MutateAsync(chain, mutation =>
        {
            var task = StartedTask(chain, token, out var run);
            Fail(run, task, request.Cause, request.Failure, request.Identity, mutation);
            return true;
        });
        return new RespondWorkflowTaskFailedResponse();
    }

    private void Fail(Execution run, WorkflowTaskInfo task, WorkflowTaskFailedCause cause, Failure? failure, string identity, Mutation mutation)
    {
        HistoryWriter.Append(run, engine.Events.WorkflowTaskFailed(task, cause, failure, identity), mutation);
        HistoryWriter.FlushBuffered(run, mutation);
        // Attempts after the second wait a little, as Temporal backs off a workflow task that keeps failing; unseen events
        // are delivered at once.
        var backoff = task.Attempt < 2 || cause == WorkflowTaskFailedCause.UnhandledCommand ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(10 * (task.Attempt - 1), 600));
        if (backoff == TimeSpan.Zero)
        {
            Schedule(run, mutation);
            return;
        }
        run.Armed.WorkflowTaskDelay = engine.Clock.After(backoff, () => engine.Mutate(run.Chain, later => ScheduleAfterDelay(run, later)));
    }

    /// <summary>The end of a workflow task's delay (start delay or backoff): the task is scheduled unless the run moved on.</summary>
    public void ScheduleAfterDelay(Execution run, Mutation mutation)
    {
        run.Armed.WorkflowTaskDelay = null;
        if (run.IsRunning && run.WorkflowTask is null)
        {
            Schedule(run, mutation);
        }
    }

    public ResetStickyTaskQueueResponse ResetStickyTaskQueue(ResetStickyTaskQueueRequest request)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.Execution?.WorkflowId ?? "");
        engine.Mutate(chain, mutation =>
        {
            var run = TemporalEngine.GetRun(chain, request.Execution!.RunId);
            run.StickyQueue = null;
            mutation.Touch(run);
        });
        return new ResetStickyTaskQueueResponse();
    }

    /// <summary>A worker leaves: its sticky queue is gone, so the tasks waiting there move to the normal queue now.</summary>
    public ShutdownWorkerResponse ShutdownWorker(ShutdownWorkerRequest request)
    {
        var ns = engine.GetNamespace(request.Namespace);
        engine.Workers.ShutDown(request.WorkerInstanceKey);
        if (string.IsNullOrEmpty(request.StickyTaskQueue) || engine.Queues.Find(ns.Name, request.StickyTaskQueue, TaskQueueType.Workflow) is not { } sticky)
        {
            return new ShutdownWorkerResponse();
        }
        foreach (var task in sticky.Drain().OfType<WorkflowTaskRef>())
        {
            var run = task.Execution;
            engine.Mutate(run.Chain, mutation =>
            {
                if (run.WorkflowTask is { IsStarted: false } pending && pending.ScheduledEventId == task.ScheduledEventId)
                {
                    OnTimeout(run, pending, TimeoutType.ScheduleToStart, mutation);
                }
            });
        }
        return new ShutdownWorkerResponse();
    }
}
