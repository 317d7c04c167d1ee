using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;

namespace Payments.DevServer.Visibility;

/// <summary>
/// One execution as visibility holds it: an immutable copy of its <see cref="WorkflowExecutionInfo"/> with its
/// search attributes decoded once, and the key of Temporal's default order.
/// </summary>
internal sealed class VisibilityRecord
{
    /// <summary>Status names as queries spell them ("Running", "ContinuedAsNew"), made once.</summary>
    private static readonly Dictionary<WorkflowExecutionStatus, string> StatusNames = Enum.GetValues<WorkflowExecutionStatus>()
        .Where(status => status != WorkflowExecutionStatus.Unspecified)
        .ToDictionary(status => status, status => status.ToString());

    private readonly Dictionary<string, IReadOnlyList<object>> _attributes;

    public VisibilityRecord(WorkflowExecutionInfo info, SearchAttributeRegistry registry)
    {
        Info = info;
        WorkflowId = info.Execution?.WorkflowId ?? string.Empty;
        RunId = info.Execution?.RunId ?? string.Empty;
        StartTime = info.StartTime?.ToDateTime() ?? DateTime.MinValue;
        CloseTime = info.CloseTime?.ToDateTime();
        _attributes = DecodeAttributes(info, registry);
    }

    private VisibilityRecord(DateTime? closeTime, DateTime startTime, string runId, string workflowId)
    {
        Info = new WorkflowExecutionInfo();
        CloseTime = closeTime;
        StartTime = startTime;
        RunId = runId;
        WorkflowId = workflowId;
        _attributes = [];
    }

    /// <summary>A record that only carries a position in the default order, to seek a sorted set.</summary>
    public static VisibilityRecord Probe(DateTime? closeTime, DateTime startTime, string runId, string workflowId) =>
        new(closeTime, startTime, runId, workflowId);

    public WorkflowExecutionInfo Info { get; }

    public string WorkflowId { get; }

    public string RunId { get; }

    public DateTime StartTime { get; }

    /// <summary>Null while the execution runs.</summary>
    public DateTime? CloseTime { get; }

    public WorkflowExecutionStatus Status => Info.Status;

    /// <summary>The values of a resolved attribute name; empty when the execution has none (SQL's NULL).</summary>
    public AttributeValues Values(string fieldName)
    {
        var value = SystemValue(fieldName);
        if (value is not null)
        {
            return new AttributeValues(value);
        }
        return _attributes.TryGetValue(fieldName, out var values) ? new AttributeValues(values) : default;
    }

    private object? SystemValue(string fieldName) => fieldName switch
    {
        SearchAttributeNames.WorkflowId => WorkflowId,
        SearchAttributeNames.RunId => RunId,
        SearchAttributeNames.WorkflowType => Info.Type?.Name,
        SearchAttributeNames.StartTime => Info.StartTime?.ToDateTime(),
        SearchAttributeNames.ExecutionTime => (Info.ExecutionTime ?? Info.StartTime)?.ToDateTime(),
        SearchAttributeNames.CloseTime => CloseTime,
        SearchAttributeNames.ExecutionStatus => StatusNames.GetValueOrDefault(Info.Status),
        SearchAttributeNames.TaskQueue => Info.TaskQueue,
        SearchAttributeNames.HistoryLength => Info.HistoryLength,
        SearchAttributeNames.ExecutionDuration => ExecutionDurationNanos(),
        SearchAttributeNames.StateTransitionCount => Info.StateTransitionCount,
        SearchAttributeNames.HistorySizeBytes => Info.HistorySizeBytes,
        SearchAttributeNames.ParentWorkflowId => NullIfEmpty(Info.ParentExecution?.WorkflowId),
        SearchAttributeNames.ParentRunId => NullIfEmpty(Info.ParentExecution?.RunId),
        SearchAttributeNames.RootWorkflowId => NullIfEmpty(Info.RootExecution?.WorkflowId),
        SearchAttributeNames.RootRunId => NullIfEmpty(Info.RootExecution?.RunId),
        _ => null,
    };

    /// <summary>Temporal sets ExecutionDuration (close time minus execution time) only once the execution closed.</summary>
    private object? ExecutionDurationNanos()
    {
        if (Info.ExecutionDuration is { } duration)
        {
            return duration.ToTimeSpan().Ticks * 100;
        }
        var executionTime = (Info.ExecutionTime ?? Info.StartTime)?.ToDateTime();
        return CloseTime is { } close && executionTime is { } execution ? (close - execution).Ticks * 100 : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Dictionary<string, IReadOnlyList<object>> DecodeAttributes(WorkflowExecutionInfo info, SearchAttributeRegistry registry)
    {
        var decoded = new Dictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal);
        if (info.SearchAttributes is null)
        {
            return decoded;
        }
        foreach (var (name, payload) in info.SearchAttributes.IndexedFields)
        {
            if (registry.TryResolve(name, out var fieldName, out var type) &&
                SearchAttributeValues.TryDecode(payload, type, out var values) && values.Count > 0)
            {
                decoded[fieldName] = values;
            }
        }
        return decoded;
    }
}
