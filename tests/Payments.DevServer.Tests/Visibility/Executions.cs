using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Common;

namespace Payments.DevServer.Tests.Visibility;

/// <summary>Builds WorkflowExecutionInfo records as the engine would hand them to visibility.</summary>
internal static class Executions
{
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly SearchAttributeKey<string> CustomerId = SearchAttributeKey.CreateKeyword("CustomerId");
    public static readonly SearchAttributeKey<long> AmountCents = SearchAttributeKey.CreateLong("AmountCents");
    public static readonly SearchAttributeKey<double> Score = SearchAttributeKey.CreateDouble("Score");
    public static readonly SearchAttributeKey<bool> Urgent = SearchAttributeKey.CreateBool("Urgent");
    public static readonly SearchAttributeKey<DateTimeOffset> DueAt = SearchAttributeKey.CreateDateTimeOffset("DueAt");
    public static readonly SearchAttributeKey<IReadOnlyCollection<string>> Tags = SearchAttributeKey.CreateKeywordList("Tags");
    public static readonly SearchAttributeKey<string> Note = SearchAttributeKey.CreateText("Note");

    /// <summary>A registry holding the custom attributes above.</summary>
    public static Payments.DevServer.Visibility.SearchAttributeRegistry Registry()
    {
        var registry = new Payments.DevServer.Visibility.SearchAttributeRegistry("default");
        registry.Register(CustomerId.Name, IndexedValueType.Keyword);
        registry.Register(AmountCents.Name, IndexedValueType.Int);
        registry.Register(Score.Name, IndexedValueType.Double);
        registry.Register(Urgent.Name, IndexedValueType.Bool);
        registry.Register(DueAt.Name, IndexedValueType.Datetime);
        registry.Register(Tags.Name, IndexedValueType.KeywordList);
        registry.Register(Note.Name, IndexedValueType.Text);
        return registry;
    }

    public static WorkflowExecutionInfo Info(
        string workflowId,
        WorkflowExecutionStatus status = WorkflowExecutionStatus.Running,
        int startMinute = 0,
        int? closeMinute = null,
        string type = "PaymentCompletion",
        string? runId = null,
        Action<SearchAttributeCollection.Builder>? attributes = null)
    {
        var start = Epoch.AddMinutes(startMinute);
        var info = new WorkflowExecutionInfo
        {
            Execution = new WorkflowExecution { WorkflowId = workflowId, RunId = runId ?? $"run-{workflowId}" },
            Type = new WorkflowType { Name = type },
            StartTime = Timestamp.FromDateTime(start),
            ExecutionTime = Timestamp.FromDateTime(start),
            Status = status,
            TaskQueue = "payments",
            HistoryLength = 3 + startMinute,
        };
        var closeAt = closeMinute ?? (status == WorkflowExecutionStatus.Running ? null : startMinute + 1);
        if (closeAt is { } minute)
        {
            info.CloseTime = Timestamp.FromDateTime(Epoch.AddMinutes(minute));
        }
        if (attributes is not null)
        {
            var builder = new SearchAttributeCollection.Builder();
            attributes(builder);
            info.SearchAttributes = builder.ToSearchAttributeCollection().ToProto();
        }
        return info;
    }

    public static SearchAttributes Attributes(Action<SearchAttributeCollection.Builder> attributes)
    {
        var builder = new SearchAttributeCollection.Builder();
        attributes(builder);
        return builder.ToSearchAttributeCollection().ToProto();
    }
}
