using Temporalio.Api.Command.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Engine;

/// <summary>Why a workflow task's commands are refused: the task fails with this cause and message.</summary>
internal sealed record BadCommand(WorkflowTaskFailedCause Cause, string Message)
{
    /// <summary>A close command while events wait unseen: Temporal refuses it with the cause's bare name, which the SDK matches.</summary>
    public static readonly BadCommand UnhandledEvents = new(WorkflowTaskFailedCause.UnhandledCommand, "");

    /// <summary>Temporal's words for the refusal, both in the failure event and in the completion's InvalidArgument.</summary>
    public string Answer => Message.Length == 0 ? Cause.ToString() : $"{Cause}: {Message}";
}

/// <summary>
/// The commands of a completed workflow task: all validated before any is applied (so a refused completion leaves no
/// partial events), then each handed to the part that owns it.
/// </summary>
internal sealed class WorkflowCommands(TemporalEngine engine)
{
    public static bool IsCloseCommand(Command command) => command.CommandType is CommandType.CompleteWorkflowExecution or CommandType.FailWorkflowExecution
        or CommandType.CancelWorkflowExecution or CommandType.ContinueAsNewWorkflowExecution;

    public BadCommand? Validate(Execution run, IEnumerable<Command> commands)
    {
        var addedByTask = new Dictionary<CommandType, int>();
        foreach (var command in commands)
        {
            if ((ValidateOne(run, command) ?? engine.PendingLimits.Check(run, command, addedByTask)) is { } bad)
            {
                return bad;
            }
        }
        return null;
    }

    private BadCommand? ValidateOne(Execution run, Command command)
    {
        if (run.Buffered.Count > 0 && IsCloseCommand(command))
        {
            return BadCommand.UnhandledEvents;
        }
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
                if (run.Activities.Values.Any(pending => pending.Attributes.ActivityId == activity.ActivityId))
                {
                    return new BadCommand(WorkflowTaskFailedCause.BadScheduleActivityAttributes, $"Activity with ID {activity.ActivityId} is already pending.");
                }
                return null;
            case CommandType.StartTimer:
                return run.Timers.ContainsKey(command.StartTimerCommandAttributes.TimerId)
                    ? new BadCommand(WorkflowTaskFailedCause.StartTimerDuplicateId, $"Timer {command.StartTimerCommandAttributes.TimerId} is already started.")
                    : null;
            case CommandType.UpsertWorkflowSearchAttributes:
                return InvalidSearchAttributes(run.Namespace, command.UpsertWorkflowSearchAttributesCommandAttributes.SearchAttributes);
            case CommandType.ContinueAsNewWorkflowExecution:
                return InvalidSearchAttributes(run.Namespace, command.ContinueAsNewWorkflowExecutionCommandAttributes.SearchAttributes);
            case CommandType.StartChildWorkflowExecution:
                var child = command.StartChildWorkflowExecutionCommandAttributes;
                var childNamespace = string.IsNullOrEmpty(child.Namespace) ? run.Namespace : engine.FindNamespace(child.Namespace);
                if (childNamespace is null || string.IsNullOrEmpty(child.WorkflowId) || string.IsNullOrEmpty(child.WorkflowType?.Name))
                {
                    return new BadCommand(WorkflowTaskFailedCause.BadStartChildExecutionAttributes, "A child workflow needs a known namespace, a workflow id and a workflow type.");
                }
                return InvalidSearchAttributes(childNamespace, child.SearchAttributes);
            case CommandType.CancelTimer or CommandType.RequestCancelActivityTask or CommandType.CompleteWorkflowExecution
                or CommandType.FailWorkflowExecution or CommandType.CancelWorkflowExecution or CommandType.SignalExternalWorkflowExecution
                or CommandType.RequestCancelExternalWorkflowExecution or CommandType.RecordMarker or CommandType.ModifyWorkflowProperties
                or CommandType.ProtocolMessage:
                return null;
            default:
                return new BadCommand(WorkflowTaskFailedCause.Unspecified, $"Command {command.CommandType} is not supported by this server.");
        }
    }

    private static BadCommand? InvalidSearchAttributes(NamespaceState ns, SearchAttributes? attributes)
    {
        try
        {
            ns.SearchAttributes.Validate(attributes);
            return null;
        }
        catch (Grpc.Core.RpcException error)
        {
            return new BadCommand(WorkflowTaskFailedCause.BadSearchAttributes, error.Status.Detail);
        }
    }

    /// <summary>Applies one command; answers true when it needs another workflow task (e.g. an activity cancelled before it started).</summary>
    public bool Apply(Execution run, Command command, long completedEventId, Mutation mutation)
    {
        switch (command.CommandType)
        {
            case CommandType.ScheduleActivityTask:
                engine.Activities.Schedule(run, command.ScheduleActivityTaskCommandAttributes, completedEventId, command.UserMetadata, mutation);
                return false;
            case CommandType.RequestCancelActivityTask:
                return engine.Activities.RequestCancel(run, command.RequestCancelActivityTaskCommandAttributes.ScheduledEventId, completedEventId, mutation);
            case CommandType.StartTimer:
                engine.Timers.Start(run, command, completedEventId, mutation);
                return false;
            case CommandType.CancelTimer:
                engine.Timers.Cancel(run, command.CancelTimerCommandAttributes.TimerId, completedEventId, mutation);
                return false;
            case CommandType.CompleteWorkflowExecution:
                engine.Lifecycle.CloseRun(run, engine.Events.WorkflowExecutionCompleted(command.CompleteWorkflowExecutionCommandAttributes.Result, completedEventId), mutation);
                return false;
            case CommandType.FailWorkflowExecution:
                engine.Lifecycle.FailRun(run, command.FailWorkflowExecutionCommandAttributes.Failure, completedEventId, mutation);
                return false;
            case CommandType.CancelWorkflowExecution:
                engine.Lifecycle.CloseRun(run, engine.Events.WorkflowExecutionCanceled(command.CancelWorkflowExecutionCommandAttributes.Details, completedEventId), mutation);
                return false;
            case CommandType.ContinueAsNewWorkflowExecution:
                engine.Lifecycle.ContinueAsNew(run, command.ContinueAsNewWorkflowExecutionCommandAttributes, completedEventId, mutation);
                return false;
            case CommandType.StartChildWorkflowExecution:
                engine.Children.Initiate(run, command, completedEventId, mutation);
                return false;
            case CommandType.SignalExternalWorkflowExecution:
            case CommandType.RequestCancelExternalWorkflowExecution:
                engine.Signals.InitiateExternal(run, command, completedEventId, mutation);
                return false;
            case CommandType.RecordMarker:
                var marker = command.RecordMarkerCommandAttributes;
                HistoryWriter.Append(run, engine.Events.MarkerRecorded(new MarkerRecordedEventAttributes
                {
                    MarkerName = marker.MarkerName,
                    Details = { marker.Details },
                    Header = marker.Header,
                    Failure = marker.Failure,
                    WorkflowTaskCompletedEventId = completedEventId,
                }), mutation);
                return false;
            case CommandType.UpsertWorkflowSearchAttributes:
                HistoryWriter.Append(run, engine.Events.UpsertWorkflowSearchAttributes(command.UpsertWorkflowSearchAttributesCommandAttributes.SearchAttributes, completedEventId), mutation);
                run.Namespace.Visibility.Upsert(HistoryReader.DescribeInfo(run));
                return false;
            case CommandType.ModifyWorkflowProperties:
                HistoryWriter.Append(run, engine.Events.WorkflowPropertiesModified(command.ModifyWorkflowPropertiesCommandAttributes.UpsertedMemo, completedEventId), mutation);
                run.Namespace.Visibility.Upsert(HistoryReader.DescribeInfo(run));
                return false;
            default:
                throw new InvalidOperationException($"Command {command.CommandType} passed validation but has no handler.");
        }
    }
}
