namespace Payments.DevServer.Visibility;

/// <summary>Names of Temporal's system search attributes (the execution fields a visibility query can filter on).</summary>
public static class SearchAttributeNames
{
    public const string WorkflowId = "WorkflowId";
    public const string RunId = "RunId";
    public const string WorkflowType = "WorkflowType";
    public const string StartTime = "StartTime";
    public const string ExecutionTime = "ExecutionTime";
    public const string CloseTime = "CloseTime";
    public const string ExecutionStatus = "ExecutionStatus";
    public const string TaskQueue = "TaskQueue";
    public const string HistoryLength = "HistoryLength";
    public const string ExecutionDuration = "ExecutionDuration";
    public const string StateTransitionCount = "StateTransitionCount";
    public const string HistorySizeBytes = "HistorySizeBytes";
    public const string ParentWorkflowId = "ParentWorkflowId";
    public const string ParentRunId = "ParentRunId";
    public const string RootWorkflowId = "RootWorkflowId";
    public const string RootRunId = "RootRunId";

    /// <summary>Not an attribute: Temporal reads it as WorkflowId unless a custom ScheduleId is registered.</summary>
    public const string ScheduleId = "ScheduleId";
}
