using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>Temporal's default history limits: suggest continue-as-new first, terminate the run past the hard limit.</summary>
internal static class HistoryLimits
{
    public const int SuggestEventCount = 4 * 1024;
    public const long SuggestSizeBytes = 4L * 1024 * 1024;
    public const int MaxEventCount = 51_200;
    public const long MaxSizeBytes = 50L * 1024 * 1024;

    public static bool SuggestContinueAsNew(Execution x) => x.History.Count >= SuggestEventCount || x.HistorySizeBytes >= SuggestSizeBytes;

    public static string? Exceeded(Execution x) =>
        x.History.Count > MaxEventCount ? "Workflow history count exceeds limit." :
        x.HistorySizeBytes > MaxSizeBytes ? "Workflow history size exceeds limit." :
        null;
}

internal sealed partial class TemporalEngine
{
    public async Task<PollWorkflowTaskQueueResponse> PollWorkflowTaskAsync(PollWorkflowTaskQueueRequest request, CancellationToken cancellationToken)
    {
        var ns = GetNamespace(request.Namespace);
        if (string.IsNullOrEmpty(request.TaskQueue?.Name))
        {
            throw TemporalErrors.InvalidArgument("TaskQueue is not set on request.");
        }
        var queue = Queues.Get(ns.Name, request.TaskQueue.Name, TaskQueueType.Workflow);
        var task = await queue.PollAsync(request.Identity, PollHold, item => TryStartWorkflowTask(item, request), Stopping, cancellationToken);
        return task ?? new PollWorkflowTaskQueueResponse();
    }

    private PollWorkflowTaskQueueResponse? TryStartWorkflowTask(object item, PollWorkflowTaskQueueRequest request)
    {
        if (item is QueryTask query)
        {
            return query.IsAnswered ? null : Mutate(query.Execution.Chain, _ => QueryTaskResponse(query));
        }
        var reference = (WorkflowTaskRef)item;
        var x = reference.Execution;
        return Mutate(x.Chain, m =>
        {
            var task = x.WorkflowTask;
            if (!x.IsRunning || task is null || task.IsStarted || task.ScheduledEventId != reference.ScheduledEventId || task.Attempt != reference.Attempt)
            {
                return null;
            }
            var e = NewEvent(EventType.WorkflowTaskStarted);
            e.WorkflowTaskStartedEventAttributes = new WorkflowTaskStartedEventAttributes
            {
                ScheduledEventId = task.ScheduledEventId,
                Identity = request.Identity,
                RequestId = Guid.NewGuid().ToString(),
                HistorySizeBytes = x.HistorySizeBytes,
                SuggestContinueAsNew = HistoryLimits.SuggestContinueAsNew(x),
            };
            Append(x, e, m);
            ArmWorkflowTask(x);
            var from = task.Sticky && x.PreviousStartedEventId > 0 ? (int)x.PreviousStartedEventId : 0;
            var history = new History();
            history.Events.AddRange(x.History.Skip(from));
            return new PollWorkflowTaskQueueResponse
            {
                Messages = { UpdateRequestMessages(x, e.EventId) },
                TaskToken = new TaskToken(TaskTokenKind.Workflow, x.Namespace.Name, x.WorkflowId, x.RunId, task.ScheduledEventId, task.Attempt).ToByteString(),
                WorkflowExecution = new WorkflowExecution { WorkflowId = x.WorkflowId, RunId = x.RunId },
                WorkflowType = x.Started.WorkflowType,
                PreviousStartedEventId = x.PreviousStartedEventId,
                StartedEventId = e.EventId,
                Attempt = task.Attempt,
                History = history,
                WorkflowExecutionTaskQueue = new TaskQueue { Name = x.Started.TaskQueue.Name, Kind = TaskQueueKind.Normal },
                ScheduledTime = Timestamp.FromDateTime(task.ScheduledTime),
                StartedTime = e.EventTime,
            };
        });
    }

    /// <summary>Finds the run a workflow task token names, and the task if it is still the started one.</summary>
    private (WorkflowChain Chain, TaskToken Token) ResolveWorkflowToken(Google.Protobuf.ByteString taskToken)
    {
        var token = TaskToken.Parse(taskToken, TaskTokenKind.Workflow);
        var ns = GetNamespace(token.Namespace);
        return ns.Chains.TryGetValue(token.WorkflowId, out var chain)
            ? (chain, token)
            : throw TemporalErrors.NotFound("Workflow task not found.");
    }

    private static WorkflowTaskInfo StartedTask(WorkflowChain chain, TaskToken token, out Execution x)
    {
        x = chain.Find(token.RunId) ?? throw TemporalErrors.NotFound("Workflow task not found.");
        var task = x.WorkflowTask;
        if (!x.IsRunning || task is not { IsStarted: true } || task.ScheduledEventId != token.EventId || task.Attempt != token.Attempt)
        {
            throw TemporalErrors.NotFound("Workflow task not found.");
        }
        return task;
    }

    public async Task<RespondWorkflowTaskCompletedResponse> CompleteWorkflowTaskAsync(RespondWorkflowTaskCompletedRequest request)
    {
        var (chain, token) = ResolveWorkflowToken(request.TaskToken);
        await MutateAsync(chain, m =>
        {
            var task = StartedTask(chain, token, out var x);
            if (request.StickyAttributes?.WorkerTaskQueue?.Name is { Length: > 0 } sticky)
            {
                x.StickyQueue = sticky;
                x.StickyScheduleToStart = request.StickyAttributes.ScheduleToStartTimeout.ToTimeSpanOrZero() is var timeout && timeout > TimeSpan.Zero ? timeout : TimeSpan.FromSeconds(10);
            }
            else
            {
                x.StickyQueue = null;
            }
            var badCommand = ValidateCommands(x, request.Commands);
            if (badCommand is not null || (x.Buffered.Count > 0 && request.Commands.Any(IsCloseCommand)))
            {
                FailWorkflowTask(x, task, badCommand?.Cause ?? WorkflowTaskFailedCause.UnhandledCommand,
                    new Temporalio.Api.Failure.V1.Failure { Message = badCommand?.Message ?? "Workflow has unhandled events; the close command is rejected." }, request.Identity, m);
                return true;
            }
            var completed = NewEvent(EventType.WorkflowTaskCompleted);
            completed.WorkflowTaskCompletedEventAttributes = new WorkflowTaskCompletedEventAttributes
            {
                ScheduledEventId = task.ScheduledEventId,
                StartedEventId = task.StartedEventId,
                Identity = request.Identity,
                BinaryChecksum = request.BinaryChecksum,
                WorkerVersion = request.WorkerVersionStamp,
                SdkMetadata = request.SdkMetadata,
                MeteringMetadata = request.MeteringMetadata,
            };
            var completedId = Append(x, completed, m);
            var needsTask = request.ForceCreateNewWorkflowTask;
            var messages = request.Messages.ToDictionary(message => message.Id);
            foreach (var command in request.Commands)
            {
                if (!x.IsRunning)
                {
                    break;
                }
                if (command.CommandType == CommandType.ProtocolMessage)
                {
                    if (messages.Remove(command.ProtocolMessageCommandAttributes.MessageId, out var message))
                    {
                        ApplyUpdateMessage(x, message, m);
                    }
                    continue;
                }
                needsTask |= ApplyCommand(x, command, completedId, m);
            }
            foreach (var message in request.Messages.Where(message => messages.ContainsKey(message.Id)))
            {
                ApplyUpdateMessage(x, message, m);
            }
            // An update that arrived while this task ran still waits for the worker.
            needsTask |= x.Updates.Values.Any(u => u.Stage == Temporalio.Api.Enums.V1.UpdateWorkflowExecutionLifecycleStage.Admitted);
            if (x.IsRunning && HistoryLimits.Exceeded(x) is { } reason)
            {
                Terminate(x, reason, m);
            }
            if (x.IsRunning && (FlushBuffered(x, m) | needsTask))
            {
                ScheduleWorkflowTask(x, m);
            }
            ReleaseParkedQueries(x);
            return true;
        });
        return new RespondWorkflowTaskCompletedResponse();
    }

    public async Task<RespondWorkflowTaskFailedResponse> FailWorkflowTaskAsync(RespondWorkflowTaskFailedRequest request)
    {
        var (chain, token) = ResolveWorkflowToken(request.TaskToken);
        await MutateAsync(chain, m =>
        {
            var task = StartedTask(chain, token, out var x);
            FailWorkflowTask(x, task, request.Cause, request.Failure, request.Identity, m);
            return true;
        });
        return new RespondWorkflowTaskFailedResponse();
    }

    private void FailWorkflowTask(Execution x, WorkflowTaskInfo task, WorkflowTaskFailedCause cause, Temporalio.Api.Failure.V1.Failure? failure, string identity, Mutation m)
    {
        var e = NewEvent(EventType.WorkflowTaskFailed);
        e.WorkflowTaskFailedEventAttributes = new WorkflowTaskFailedEventAttributes
        {
            ScheduledEventId = task.ScheduledEventId,
            StartedEventId = task.StartedEventId,
            Cause = cause,
            Failure = failure,
            Identity = identity,
        };
        Append(x, e, m);
        FlushBuffered(x, m);
        // Attempts after the second wait a little, as Temporal backs off a workflow task that keeps failing.
        var backoff = task.Attempt < 2 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(10 * (task.Attempt - 1), 600));
        if (backoff == TimeSpan.Zero)
        {
            ScheduleWorkflowTask(x, m);
            return;
        }
        x.StartBackoffTimer = Clock.After(backoff, () => Mutate(x.Chain, later =>
        {
            x.StartBackoffTimer = null;
            if (x.IsRunning && x.WorkflowTask is null)
            {
                ScheduleWorkflowTask(x, later);
            }
        }));
    }

    private static bool IsCloseCommand(Command c) => c.CommandType is CommandType.CompleteWorkflowExecution or CommandType.FailWorkflowExecution
        or CommandType.CancelWorkflowExecution or CommandType.ContinueAsNewWorkflowExecution;

    private sealed record BadCommand(WorkflowTaskFailedCause Cause, string Message);

    /// <summary>Checks every command before any is applied, so a rejected completion leaves no partial events.</summary>
    private BadCommand? ValidateCommands(Execution x, IEnumerable<Command> commands)
    {
        foreach (var command in commands)
        {
            switch (command.CommandType)
            {
                case CommandType.ScheduleActivityTask:
                    var activity = command.ScheduleActivityTaskCommandAttributes;
                    if (string.IsNullOrEmpty(activity.ActivityId) || string.IsNullOrEmpty(activity.ActivityType?.Name))
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadScheduleActivityAttributes, "ActivityId and ActivityType are required.");
                    }
                    if (activity.StartToCloseTimeout.ToTimeSpanOrZero() <= TimeSpan.Zero && activity.ScheduleToCloseTimeout.ToTimeSpanOrZero() <= TimeSpan.Zero)
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadScheduleActivityAttributes, "A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.");
                    }
                    if (x.Activities.Values.Any(a => a.Attributes.ActivityId == activity.ActivityId))
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadScheduleActivityAttributes, $"Activity with ID {activity.ActivityId} is already pending.");
                    }
                    break;
                case CommandType.StartTimer:
                    if (x.Timers.ContainsKey(command.StartTimerCommandAttributes.TimerId))
                    {
                        return new BadCommand(WorkflowTaskFailedCause.StartTimerDuplicateId, $"Timer {command.StartTimerCommandAttributes.TimerId} is already started.");
                    }
                    break;
                case CommandType.UpsertWorkflowSearchAttributes:
                    if (InvalidSearchAttributes(x.Namespace, command.UpsertWorkflowSearchAttributesCommandAttributes.SearchAttributes) is { } upsertError)
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadSearchAttributes, upsertError);
                    }
                    break;
                case CommandType.ContinueAsNewWorkflowExecution:
                    if (InvalidSearchAttributes(x.Namespace, command.ContinueAsNewWorkflowExecutionCommandAttributes.SearchAttributes) is { } continueError)
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadSearchAttributes, continueError);
                    }
                    break;
                case CommandType.StartChildWorkflowExecution:
                    var child = command.StartChildWorkflowExecutionCommandAttributes;
                    var childNamespace = string.IsNullOrEmpty(child.Namespace) ? x.Namespace : FindNamespace(child.Namespace);
                    if (childNamespace is null || string.IsNullOrEmpty(child.WorkflowId) || string.IsNullOrEmpty(child.WorkflowType?.Name))
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadStartChildExecutionAttributes, "A child workflow needs a known namespace, a workflow id and a workflow type.");
                    }
                    if (InvalidSearchAttributes(childNamespace, child.SearchAttributes) is { } childError)
                    {
                        return new BadCommand(WorkflowTaskFailedCause.BadSearchAttributes, childError);
                    }
                    break;
                case CommandType.CancelTimer or CommandType.RequestCancelActivityTask or CommandType.CompleteWorkflowExecution
                    or CommandType.FailWorkflowExecution or CommandType.CancelWorkflowExecution or CommandType.SignalExternalWorkflowExecution
                    or CommandType.RequestCancelExternalWorkflowExecution or CommandType.RecordMarker or CommandType.ModifyWorkflowProperties
                    or CommandType.ProtocolMessage:
                    break;
                default:
                    return new BadCommand(WorkflowTaskFailedCause.Unspecified, $"Command {command.CommandType} is not supported by this server.");
            }
        }
        return null;
    }

    private static string? InvalidSearchAttributes(NamespaceState ns, Temporalio.Api.Common.V1.SearchAttributes? attributes)
    {
        try
        {
            ns.SearchAttributes.Validate(attributes);
            return null;
        }
        catch (Grpc.Core.RpcException e)
        {
            return e.Status.Detail;
        }
    }

    /// <summary>Applies one command; answers true when it needs another workflow task (e.g. an activity cancelled before it started).</summary>
    private bool ApplyCommand(Execution x, Command command, long completedId, Mutation m)
    {
        switch (command.CommandType)
        {
            case CommandType.ScheduleActivityTask:
                ScheduleActivity(x, command.ScheduleActivityTaskCommandAttributes, completedId, command.UserMetadata, m);
                return false;
            case CommandType.RequestCancelActivityTask:
                return RequestCancelActivity(x, command.RequestCancelActivityTaskCommandAttributes.ScheduledEventId, completedId, m);
            case CommandType.StartTimer:
                StartTimer(x, command, completedId, m);
                return false;
            case CommandType.CancelTimer:
                var timerId = command.CancelTimerCommandAttributes.TimerId;
                if (x.Timers.TryGetValue(timerId, out var timer))
                {
                    var canceled = NewEvent(EventType.TimerCanceled);
                    canceled.TimerCanceledEventAttributes = new TimerCanceledEventAttributes { TimerId = timerId, StartedEventId = timer.StartedEventId, WorkflowTaskCompletedEventId = completedId };
                    Append(x, canceled, m);
                }
                return false;
            case CommandType.CompleteWorkflowExecution:
                var complete = NewEvent(EventType.WorkflowExecutionCompleted);
                complete.WorkflowExecutionCompletedEventAttributes = new WorkflowExecutionCompletedEventAttributes
                {
                    Result = command.CompleteWorkflowExecutionCommandAttributes.Result,
                    WorkflowTaskCompletedEventId = completedId,
                };
                CloseRun(x, complete, m);
                return false;
            case CommandType.FailWorkflowExecution:
                FailRun(x, command.FailWorkflowExecutionCommandAttributes.Failure, completedId, m);
                return false;
            case CommandType.CancelWorkflowExecution:
                var cancel = NewEvent(EventType.WorkflowExecutionCanceled);
                cancel.WorkflowExecutionCanceledEventAttributes = new WorkflowExecutionCanceledEventAttributes
                {
                    Details = command.CancelWorkflowExecutionCommandAttributes.Details,
                    WorkflowTaskCompletedEventId = completedId,
                };
                CloseRun(x, cancel, m);
                return false;
            case CommandType.ContinueAsNewWorkflowExecution:
                ContinueAsNew(x, command.ContinueAsNewWorkflowExecutionCommandAttributes, completedId, m);
                return false;
            case CommandType.StartChildWorkflowExecution:
                InitiateChild(x, command, completedId, m);
                return false;
            case CommandType.SignalExternalWorkflowExecution:
            case CommandType.RequestCancelExternalWorkflowExecution:
                InitiateExternal(x, command, completedId, m);
                return false;
            case CommandType.RecordMarker:
                var marker = command.RecordMarkerCommandAttributes;
                var recorded = NewEvent(EventType.MarkerRecorded);
                recorded.MarkerRecordedEventAttributes = new MarkerRecordedEventAttributes
                {
                    MarkerName = marker.MarkerName,
                    Details = { marker.Details },
                    Header = marker.Header,
                    Failure = marker.Failure,
                    WorkflowTaskCompletedEventId = completedId,
                };
                Append(x, recorded, m);
                return false;
            case CommandType.UpsertWorkflowSearchAttributes:
                var upsert = NewEvent(EventType.UpsertWorkflowSearchAttributes);
                upsert.UpsertWorkflowSearchAttributesEventAttributes = new UpsertWorkflowSearchAttributesEventAttributes
                {
                    SearchAttributes = command.UpsertWorkflowSearchAttributesCommandAttributes.SearchAttributes,
                    WorkflowTaskCompletedEventId = completedId,
                };
                Append(x, upsert, m);
                x.Namespace.Visibility.Upsert(DescribeInfo(x));
                return false;
            case CommandType.ModifyWorkflowProperties:
                var modified = NewEvent(EventType.WorkflowPropertiesModified);
                modified.WorkflowPropertiesModifiedEventAttributes = new WorkflowPropertiesModifiedEventAttributes
                {
                    UpsertedMemo = command.ModifyWorkflowPropertiesCommandAttributes.UpsertedMemo,
                    WorkflowTaskCompletedEventId = completedId,
                };
                Append(x, modified, m);
                x.Namespace.Visibility.Upsert(DescribeInfo(x));
                return false;
            default:
                throw new InvalidOperationException($"Command {command.CommandType} passed validation but has no handler.");
        }
    }

    private void StartTimer(Execution x, Command command, long completedId, Mutation m)
    {
        var attributes = command.StartTimerCommandAttributes;
        var e = NewEvent(EventType.TimerStarted);
        e.UserMetadata = command.UserMetadata;
        e.TimerStartedEventAttributes = new TimerStartedEventAttributes
        {
            TimerId = attributes.TimerId,
            StartToFireTimeout = attributes.StartToFireTimeout,
            WorkflowTaskCompletedEventId = completedId,
        };
        Append(x, e, m);
        ArmTimer(x, x.Timers[attributes.TimerId]);
    }

    public void ArmTimer(Execution x, TimerInfo timer) =>
        timer.Handle = Clock.Schedule(timer.FireTime, () => Mutate(x.Chain, m =>
        {
            if (!x.IsRunning || !x.Timers.TryGetValue(timer.TimerId, out var current) || current != timer)
            {
                return;
            }
            var fired = NewEvent(EventType.TimerFired);
            fired.TimerFiredEventAttributes = new TimerFiredEventAttributes { TimerId = timer.TimerId, StartedEventId = timer.StartedEventId };
            AddExternal(x, fired, m);
        }));

    private void InitiateChild(Execution x, Command command, long completedId, Mutation m)
    {
        var c = command.StartChildWorkflowExecutionCommandAttributes;
        var ns = string.IsNullOrEmpty(c.Namespace) ? x.Namespace : GetNamespace(c.Namespace);
        var e = NewEvent(EventType.StartChildWorkflowExecutionInitiated);
        e.UserMetadata = command.UserMetadata;
        var attributes = new StartChildWorkflowExecutionInitiatedEventAttributes
        {
            Namespace = ns.Name,
            NamespaceId = ns.Id,
            WorkflowId = c.WorkflowId,
            WorkflowType = c.WorkflowType,
            TaskQueue = string.IsNullOrEmpty(c.TaskQueue?.Name) ? x.Started.TaskQueue : c.TaskQueue,
            Input = c.Input,
            WorkflowExecutionTimeout = c.WorkflowExecutionTimeout,
            WorkflowRunTimeout = c.WorkflowRunTimeout,
            WorkflowTaskTimeout = c.WorkflowTaskTimeout,
            ParentClosePolicy = c.ParentClosePolicy,
            Control = c.Control,
            WorkflowTaskCompletedEventId = completedId,
            WorkflowIdReusePolicy = c.WorkflowIdReusePolicy,
            RetryPolicy = c.RetryPolicy,
            CronSchedule = c.CronSchedule,
            Header = c.Header,
            Memo = c.Memo,
            SearchAttributes = c.SearchAttributes,
            Priority = c.Priority,
        };
        e.StartChildWorkflowExecutionInitiatedEventAttributes = attributes;
        var initiatedId = Append(x, e, m);
        m.After(() => StartChild(x, initiatedId, attributes));
    }
}
