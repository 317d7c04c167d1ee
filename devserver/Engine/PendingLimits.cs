using Microsoft.Extensions.Logging;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Temporal's per-workflow limits on pending work, from the dynamic config (<c>limit.numPending….error</c>): a command
/// that would add work past one fails its workflow task with the limit's cause, counting what the task's earlier
/// commands added.
/// </summary>
internal sealed class PendingLimits(DynamicConfig config, ILogger logger)
{
    /// <summary>Refuses <paramref name="command"/> when its kind of pending work already reached its limit; counts it in <paramref name="addedByTask"/> otherwise.</summary>
    public BadCommand? Check(Execution run, Command command, Dictionary<CommandType, int> addedByTask)
    {
        var (pending, limit, cause, description) = command.CommandType switch
        {
            CommandType.ScheduleActivityTask => (run.Activities.Count, config.NumPendingActivitiesError,
                WorkflowTaskFailedCause.PendingActivitiesLimitExceeded, "pending activities"),
            CommandType.StartChildWorkflowExecution => (run.Children.Count, config.NumPendingChildExecutionsError,
                WorkflowTaskFailedCause.PendingChildWorkflowsLimitExceeded, "pending child workflow executions"),
            CommandType.SignalExternalWorkflowExecution => (PendingExternal(run, EventType.SignalExternalWorkflowExecutionInitiated), config.NumPendingSignalsError,
                WorkflowTaskFailedCause.PendingSignalsLimitExceeded, "pending signals to external workflows"),
            CommandType.RequestCancelExternalWorkflowExecution => (PendingExternal(run, EventType.RequestCancelExternalWorkflowExecutionInitiated), config.NumPendingCancelRequestsError,
                WorkflowTaskFailedCause.PendingRequestCancelLimitExceeded, "pending requests to cancel external workflows"),
            _ => (0, 0L, WorkflowTaskFailedCause.Unspecified, ""),
        };
        if (description.Length == 0)
        {
            return null;
        }
        pending += addedByTask.GetValueOrDefault(command.CommandType);
        // As Temporal: a limit of 0 or less means none.
        if (limit <= 0 || pending < limit)
        {
            addedByTask[command.CommandType] = addedByTask.GetValueOrDefault(command.CommandType) + 1;
            return null;
        }
        var message = $"the number of {description}, {pending}, has reached the per-workflow limit of {limit}";
        logger.LogError("Workflow {WorkflowId} run {RunId}: {Refusal}", run.WorkflowId, run.RunId, message);
        return new BadCommand(cause, message);
    }

    private static int PendingExternal(Execution run, EventType initiated) =>
        run.ExternalRequests.Values.Count(request => request.EventType == initiated);
}
