using Payments.DevServer.Visibility;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Workflow.V1;

namespace Payments.DevServer.Tests.Visibility;

/// <summary>Which executions a query selects, with SQL's rule that a comparison on a missing attribute selects nothing.</summary>
public class VisibilityQueryEvaluationTests
{
    private static readonly WorkflowExecutionInfo[] Dataset =
    [
        Executions.Info("pay-1", attributes: builder => builder
            .Set(Executions.CustomerId, "c-1")
            .Set(Executions.AmountCents, 1000)
            .Set(Executions.Tags, ["vip"])
            .Set(Executions.Urgent, true)
            .Set(Executions.Note, "Card declined twice")
            .Set(Executions.DueAt, new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero))),
        Executions.Info("pay-2", WorkflowExecutionStatus.Completed, startMinute: 10, closeMinute: 11, attributes: builder => builder
            .Set(Executions.CustomerId, "c-2")
            .Set(Executions.AmountCents, 250)
            .Set(Executions.Score, 0.5)
            .Set(Executions.Tags, ["retry", "vip"])),
        Executions.Info("pay-3", WorkflowExecutionStatus.Failed, startMinute: 20, closeMinute: 25, type: "MerchantNotification", attributes: builder => builder
            .Set(Executions.CustomerId, "c-1")
            .Set(Executions.Urgent, false)),
        Executions.Info("notify-4", WorkflowExecutionStatus.TimedOut, startMinute: 30, closeMinute: 40, type: "MerchantNotification"),
        Executions.Info("pay-5", WorkflowExecutionStatus.Terminated, startMinute: 40, closeMinute: 41, attributes: builder => builder
            .Set(Executions.AmountCents, -5)
            .Set(Executions.Score, 2.5)
            .Set(Executions.Note, "Bank timeout")),
    ];

    private readonly SearchAttributeRegistry _registry = Executions.Registry();

    [Theory]
    [InlineData("", "pay-1 pay-2 pay-3 notify-4 pay-5")]
    [InlineData("WorkflowId = 'pay-1'", "pay-1")]
    [InlineData("WorkflowId != 'pay-1'", "pay-2 pay-3 notify-4 pay-5")]
    [InlineData("RunId = 'run-pay-2'", "pay-2")]
    [InlineData("WorkflowType = 'MerchantNotification'", "pay-3 notify-4")]
    [InlineData("TaskQueue = 'payments' AND WorkflowId = 'pay-5'", "pay-5")]
    [InlineData("WorkflowId STARTS_WITH 'pay-'", "pay-1 pay-2 pay-3 pay-5")]
    [InlineData("WorkflowId NOT STARTS_WITH 'pay-'", "notify-4")]
    [InlineData("WorkflowId > 'pay-3'", "pay-5")]
    [InlineData("ScheduleId = 'pay-2'", "pay-2")]
    public void Matches_KeywordSystemAttributes_SelectsExpected(string query, string expected) => AssertSelects(query, expected);

    [Theory]
    [InlineData("ExecutionStatus = 'Running'", "pay-1")]
    [InlineData("ExecutionStatus = 2", "pay-2")]
    [InlineData("ExecutionStatus != 'Running'", "pay-2 pay-3 notify-4 pay-5")]
    [InlineData("ExecutionStatus IN ('Failed', 'TimedOut')", "pay-3 notify-4")]
    [InlineData("ExecutionStatus NOT IN ('Running', 'Completed')", "pay-3 notify-4 pay-5")]
    [InlineData("ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_TERMINATED'", "pay-5")]
    public void Matches_ExecutionStatus_SelectsExpected(string query, string expected) => AssertSelects(query, expected);

    [Theory]
    [InlineData("CloseTime IS NULL", "pay-1")]
    [InlineData("CloseTime IS NOT NULL", "pay-2 pay-3 notify-4 pay-5")]
    [InlineData("StartTime >= '2026-01-01T00:20:00Z'", "pay-3 notify-4 pay-5")]
    [InlineData("StartTime >= '2026-01-01T02:20:00+02:00'", "pay-3 notify-4 pay-5")]
    [InlineData("StartTime BETWEEN '2026-01-01T00:10:00Z' AND '2026-01-01T00:30:00Z'", "pay-2 pay-3 notify-4")]
    [InlineData("StartTime NOT BETWEEN '2026-01-01T00:10:00Z' AND '2026-01-01T00:30:00Z'", "pay-1 pay-5")]
    [InlineData("CloseTime < '2026-01-01T00:30:00Z'", "pay-2 pay-3")]
    [InlineData("ExecutionTime > 1767225600000000000", "pay-2 pay-3 notify-4 pay-5")]
    [InlineData("ExecutionDuration >= '5m'", "pay-3 notify-4")]
    [InlineData("ExecutionDuration > 300000000000", "notify-4")]
    [InlineData("ExecutionDuration < '00:02:00'", "pay-2 pay-5")]
    [InlineData("HistoryLength > 20", "pay-3 notify-4 pay-5")]
    public void Matches_TimesAndCounters_SelectsExpected(string query, string expected) => AssertSelects(query, expected);

    [Theory]
    [InlineData("CustomerId = 'c-1'", "pay-1 pay-3")]
    [InlineData("CustomerId != 'c-1'", "pay-2")]
    [InlineData("CustomerId IS NULL", "notify-4 pay-5")]
    [InlineData("AmountCents > 0", "pay-1 pay-2")]
    [InlineData("AmountCents < 0", "pay-5")]
    [InlineData("AmountCents BETWEEN 200 AND 1000", "pay-1 pay-2")]
    [InlineData("AmountCents IN (250, 1000)", "pay-1 pay-2")]
    [InlineData("Score >= 1", "pay-5")]
    [InlineData("Score < 2.5", "pay-2")]
    [InlineData("Urgent = true", "pay-1")]
    [InlineData("Urgent = false", "pay-3")]
    [InlineData("DueAt < '2026-01-10T00:00:00Z'", "pay-1")]
    [InlineData("Tags = 'vip'", "pay-1 pay-2")]
    [InlineData("Tags != 'retry'", "pay-1")]
    [InlineData("Tags IN ('retry', 'other')", "pay-2")]
    [InlineData("Tags NOT IN ('retry')", "pay-1")]
    [InlineData("Note = 'declined'", "pay-1")]
    [InlineData("Note = 'DECLINED card'", "pay-1")]
    [InlineData("Note = 'bank'", "pay-5")]
    [InlineData("Note = 'declined bank'", "")]
    [InlineData("Note != 'bank'", "pay-1")]
    public void Matches_CustomAttributes_SelectsExpected(string query, string expected) => AssertSelects(query, expected);

    [Theory]
    [InlineData("(WorkflowType = 'PaymentCompletion' AND ExecutionStatus = 'Running') OR WorkflowId = 'notify-4'", "pay-1 notify-4")]
    [InlineData("WorkflowType = 'PaymentCompletion' AND (ExecutionStatus = 'Running' OR WorkflowId = 'pay-5')", "pay-1 pay-5")]
    [InlineData("WorkflowId = 'pay-1' OR WorkflowId = 'pay-2' AND ExecutionStatus = 'Running'", "pay-1")]
    [InlineData("NOT WorkflowId = 'pay-1'", "pay-2 pay-3 notify-4 pay-5")]
    [InlineData("NOT (CustomerId = 'c-1')", "pay-2")]
    [InlineData("CustomerId = 'c-1' OR WorkflowType = 'MerchantNotification'", "pay-1 pay-3 notify-4")]
    [InlineData("NOT (CustomerId = 'c-1' OR WorkflowType = 'MerchantNotification')", "pay-2")]
    public void Matches_LogicalOperators_FollowSqlThreeValuedLogic(string query, string expected) => AssertSelects(query, expected);

    private void AssertSelects(string query, string expected)
    {
        var parsed = VisibilityQuery.Parse(query, _registry);

        var selected = Dataset.Where(parsed.Matches).Select(info => info.Execution.WorkflowId);

        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), selected);
    }
}
