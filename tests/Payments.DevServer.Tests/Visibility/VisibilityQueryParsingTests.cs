using Grpc.Core;
using Payments.DevServer.Visibility;

namespace Payments.DevServer.Tests.Visibility;

/// <summary>Which queries parse, and the InvalidArgument message Temporal gives for the ones that do not.</summary>
public class VisibilityQueryParsingTests
{
    private readonly SearchAttributeRegistry _registry = Executions.Registry();

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("WorkflowId = 'a'")]
    [InlineData("WorkflowId = \"a\"")]
    [InlineData("`WorkflowId` = 'a'")]
    [InlineData("WorkflowId = 'a' and WorkflowType = 'b'")]
    [InlineData("WorkflowId != 'a' OR WorkflowId <> 'b'")]
    [InlineData("ExecutionStatus = 'Running'")]
    [InlineData("ExecutionStatus = 'WORKFLOW_EXECUTION_STATUS_COMPLETED'")]
    [InlineData("ExecutionStatus = 1")]
    [InlineData("ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated')")]
    [InlineData("ExecutionStatus NOT IN ('Running')")]
    [InlineData("StartTime > '2026-01-01T00:00:00Z'")]
    [InlineData("StartTime >= '2026-01-01T00:00:00.123456789+02:00' AND CloseTime < '2026-02-01T00:00:00Z'")]
    [InlineData("StartTime BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-02T00:00:00Z'")]
    [InlineData("StartTime NOT BETWEEN '2026-01-01T00:00:00Z' AND '2026-01-02T00:00:00Z'")]
    [InlineData("ExecutionTime < 1767225600000000000")]
    [InlineData("CloseTime IS NULL")]
    [InlineData("CloseTime is not null")]
    [InlineData("WorkflowId STARTS_WITH 'pay-'")]
    [InlineData("WorkflowType NOT STARTS_WITH 'Merchant'")]
    [InlineData("HistoryLength >= 10 AND HistoryLength < 1e3")]
    [InlineData("AmountCents > -5")]
    [InlineData("Score <= 0.75")]
    [InlineData("Urgent = true")]
    [InlineData("Urgent != FALSE")]
    [InlineData("DueAt < '2026-03-01T00:00:00Z'")]
    [InlineData("Tags = 'vip'")]
    [InlineData("Tags IN ('vip', 'retry')")]
    [InlineData("Note = 'declined'")]
    [InlineData("NOT (WorkflowId = 'a' OR (WorkflowType = 'b' AND TaskQueue = 'q'))")]
    [InlineData("ExecutionDuration > '1h30m'")]
    [InlineData("ExecutionDuration < '00:05:00'")]
    [InlineData("ScheduleId = 'nightly'")]
    [InlineData("TemporalChangeVersion = 'fee-rounding-1'")]
    [InlineData("ChangeVersion = 'fee-rounding-1'")]
    [InlineData("WorkflowId = 'it''s' AND WorkflowType = 'say \\'hi\\''")]
    [InlineData("ORDER BY StartTime")]
    [InlineData("WorkflowType = 'a' ORDER BY StartTime DESC, WorkflowId ASC")]
    [InlineData("GROUP BY ExecutionStatus")]
    [InlineData("WorkflowType = 'a' GROUP BY ExecutionStatus")]
    public void Parse_ValidQuery_Succeeds(string query)
    {
        var parsed = VisibilityQuery.Parse(query, _registry);

        Assert.NotNull(parsed);
    }

    [Fact]
    public void Parse_OrderBy_ReadsFieldsAndDirections()
    {
        var parsed = VisibilityQuery.Parse("ORDER BY StartTime DESC, AmountCents", _registry);

        Assert.Collection(
            parsed.OrderBy,
            first => Assert.Equal(("StartTime", true), (first.Field.FieldName, first.Descending)),
            second => Assert.Equal(("AmountCents", false), (second.Field.FieldName, second.Descending)));
    }

    [Fact]
    public void Parse_GroupByExecutionStatus_ReadsTheField()
    {
        var parsed = VisibilityQuery.Parse("GROUP BY ExecutionStatus", _registry);

        Assert.Equal("ExecutionStatus", parsed.GroupBy?.FieldName);
    }

    [Theory]
    [InlineData("Unknown = 'a'", "invalid query: invalid search attribute: Unknown")]
    [InlineData("WorkflowId = 'a' AND Unknown > 3", "invalid query: invalid search attribute: Unknown")]
    [InlineData("ORDER BY Unknown", "invalid query: invalid search attribute: Unknown")]
    [InlineData("WorkflowId = 'a' AND", "invalid query: malformed SQL query: syntax error at position 21 near end of query")]
    [InlineData("WorkflowId = ", "invalid query: malformed SQL query: syntax error at position 14 near end of query")]
    [InlineData("(WorkflowId = 'a'", "invalid query: malformed SQL query: syntax error at position 18 near end of query")]
    [InlineData("WorkflowId = 'a')", "invalid query: malformed SQL query: syntax error at position 17 near ')'")]
    [InlineData("WorkflowId = 'a", "invalid query: malformed SQL query: syntax error at position 16 near ''a'")]
    [InlineData("WorkflowId == 'a'", "invalid query: malformed SQL query: syntax error at position 13 near '='")]
    [InlineData("WorkflowId = 'a' 'b'", "invalid query: malformed SQL query: syntax error at position 20 near 'b'")]
    [InlineData("WorkflowId ~ 'a'", "invalid query: malformed SQL query: syntax error at position 12 near '~'")]
    [InlineData("WorkflowId", "invalid query: invalid expression: incomplete expression")]
    [InlineData("'a' = WorkflowId", "invalid query: invalid expression: must be a column name but was a value")]
    [InlineData("WorkflowId = abc", "invalid query: operation is not supported: column name on the right side of comparison expression (did you forget to quote \"abc\"?)")]
    [InlineData("WorkflowId = 'a' LIMIT 10", "invalid query: operation is not supported: 'LIMIT' clause")]
    [InlineData("WorkflowId LIKE 'a%'", "invalid query: operation is not supported: operator 'LIKE' not supported for Keyword type search attribute 'WorkflowId'")]
    [InlineData("HistoryLength STARTS_WITH 1", "invalid query: operation is not supported: operator 'STARTS_WITH' not supported for Int type search attribute 'HistoryLength'")]
    [InlineData("workflowid = 'a'", "invalid query: invalid search attribute: workflowid")]
    [InlineData("Tags > 'a'", "invalid query: operation is not supported: operator '>' not supported for KeywordList type search attribute 'Tags'")]
    [InlineData("Note > 'a'", "invalid query: operation is not supported: operator '>' not supported for Text type search attribute 'Note'")]
    [InlineData("Note = '  '", "invalid query: invalid expression: no tokens found filtering on Text type search attribute Note")]
    [InlineData("Urgent BETWEEN true AND false", "invalid query: invalid expression: cannot do range condition on search attribute 'Urgent' of type Bool")]
    [InlineData("HistoryLength = '5'", "invalid query: invalid expression: invalid value type for search attribute HistoryLength of type Int: \"5\" (type: string)")]
    [InlineData("WorkflowId = 5", "invalid query: invalid expression: invalid value type for search attribute WorkflowId of type Keyword: 5 (type: int64)")]
    [InlineData("Urgent = 'true'", "invalid query: invalid expression: invalid value type for search attribute Urgent of type Bool: \"true\" (type: string)")]
    [InlineData("Score = true", "invalid query: invalid expression: invalid value type for search attribute Score of type Double: true (type: bool)")]
    [InlineData("StartTime > 'yesterday'", "invalid query: invalid expression: unable to parse datetime 'yesterday'")]
    [InlineData("StartTime > '2026-01-01'", "invalid query: invalid expression: unable to parse datetime '2026-01-01'")]
    [InlineData("ExecutionStatus = 'Done'", "invalid query: invalid expression: invalid ExecutionStatus value 'Done'")]
    [InlineData("ExecutionStatus = 'running'", "invalid query: invalid expression: invalid ExecutionStatus value 'running'")]
    [InlineData("ExecutionStatus = 99", "invalid query: invalid expression: invalid ExecutionStatus value 99")]
    [InlineData("ExecutionDuration > 'long'", "invalid query: invalid expression: invalid duration value for search attribute ExecutionDuration: long")]
    [InlineData("CloseTime IS TRUE", "invalid query: invalid expression: 'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'")]
    [InlineData("WorkflowId = -'a'", "invalid query: invalid expression: unary operator not supported in \"-'a'\"")]
    [InlineData("GROUP BY WorkflowType", "invalid query: operation is not supported: 'GROUP BY' clause is not supported for search attribute WorkflowType")]
    [InlineData("GROUP BY ExecutionStatus, WorkflowType", "invalid query: operation is not supported: 'GROUP BY' clause supports only a single field")]
    [InlineData("ORDER BY Note", "invalid query: operation is not supported: unable to sort by search attribute type Text")]
    [InlineData("ORDER StartTime", "invalid query: malformed SQL query: syntax error at position 15 near 'StartTime'")]
    public void Parse_InvalidQuery_IsInvalidArgumentNamingTheProblem(string query, string message)
    {
        var error = Assert.Throws<RpcException>(() => VisibilityQuery.Parse(query, _registry));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(message, error.Status.Detail);
    }

    [Fact]
    public void Parse_AttributeRemovedFromRegistry_IsInvalidArgument()
    {
        _registry.Remove("CustomerId");

        var error = Assert.Throws<RpcException>(() => VisibilityQuery.Parse("CustomerId = 'c-1'", _registry));

        Assert.Equal("invalid query: invalid search attribute: CustomerId", error.Status.Detail);
    }
}
