using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace Payments.DevServer.Tests;

/// <summary>Resets a workflow through the SDK's raw service call, as the CLI and the UI do.</summary>
internal static class WorkflowResetting
{
    public const string Reason = "reset by a spec";

    public static async Task<string> ResetAsync(this WorkflowHandle handle, long workflowTaskFinishEventId, params ResetReapplyExcludeType[] excluded)
    {
        var response = await handle.Client.WorkflowService.ResetWorkflowExecutionAsync(new ResetWorkflowExecutionRequest
        {
            Namespace = handle.Client.Options.Namespace,
            WorkflowExecution = new() { WorkflowId = handle.Id, RunId = handle.ResultRunId ?? "" },
            Reason = Reason,
            WorkflowTaskFinishEventId = workflowTaskFinishEventId,
            RequestId = Guid.NewGuid().ToString(),
            ResetReapplyExcludeTypes = { excluded },
        });
        return response.RunId;
    }

    /// <summary>The run's description as the server sends it (reset points and first run id included).</summary>
    public static async Task<Temporalio.Api.Workflow.V1.WorkflowExecutionInfo> RawInfoAsync(this WorkflowHandle handle) =>
        (await handle.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = handle.Client.Options.Namespace,
            Execution = new() { WorkflowId = handle.Id, RunId = handle.ResultRunId ?? "" },
        })).WorkflowExecutionInfo;

    /// <summary>The event ids of the run's completed workflow tasks, first to last.</summary>
    public static async Task<List<long>> CompletedWorkflowTasksAsync(this WorkflowHandle handle) =>
        (await handle.FetchHistoryAsync()).Events.Where(historyEvent => historyEvent.EventType == EventType.WorkflowTaskCompleted).Select(historyEvent => historyEvent.EventId).ToList();
}
