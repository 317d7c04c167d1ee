using System.Text;
using Payments.DevServer.Visibility;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Tests.Visibility;

/// <summary>Counting executions, plain and grouped by ExecutionStatus as the Temporal UI asks.</summary>
public class VisibilityStoreCountTests
{
    private readonly VisibilityStore _store = new(Executions.Registry());

    public VisibilityStoreCountTests()
    {
        _store.Upsert(Executions.Info("pay-1"));
        _store.Upsert(Executions.Info("pay-2"));
        _store.Upsert(Executions.Info("pay-3", WorkflowExecutionStatus.Completed));
        _store.Upsert(Executions.Info("pay-4", WorkflowExecutionStatus.Completed));
        _store.Upsert(Executions.Info("pay-5", WorkflowExecutionStatus.Completed));
        _store.Upsert(Executions.Info("notify-6", WorkflowExecutionStatus.Failed, type: "MerchantNotification"));
    }

    [Fact]
    public void Count_NoQuery_CountsEverything()
    {
        Assert.Equal(6, _store.Count(new CountWorkflowExecutionsRequest()).Count);
    }

    [Theory]
    [InlineData("ExecutionStatus = 'Completed'", 3)]
    [InlineData("ExecutionStatus = 'Running' AND WorkflowId = 'pay-2'", 1)]
    [InlineData("WorkflowType = 'MerchantNotification'", 1)]
    [InlineData("ExecutionStatus = 'Canceled'", 0)]
    [InlineData("WorkflowId = 'nobody'", 0)]
    public void Count_WithQuery_CountsMatches(string query, long expected)
    {
        Assert.Equal(expected, _store.Count(new CountWorkflowExecutionsRequest { Query = query }).Count);
    }

    [Fact]
    public void Count_GroupByExecutionStatus_GivesOneGroupPerStatus()
    {
        var response = _store.Count(new CountWorkflowExecutionsRequest { Query = "GROUP BY ExecutionStatus" });

        Assert.Equal(6, response.Count);
        Assert.Equal(
            [("\"Completed\"", 3L), ("\"Running\"", 2L), ("\"Failed\"", 1L)],
            response.Groups.Select(group => (group.GroupValues.Single().Data.ToStringUtf8(), group.Count)));
        var payload = response.Groups[0].GroupValues.Single();
        Assert.Equal("json/plain", payload.Metadata["encoding"].ToStringUtf8());
        Assert.Equal("Keyword", payload.Metadata["type"].ToStringUtf8());
    }

    [Fact]
    public void Count_FilteredGroupByExecutionStatus_GroupsOnlyMatches()
    {
        var response = _store.Count(new CountWorkflowExecutionsRequest { Query = "WorkflowType = 'PaymentCompletion' GROUP BY ExecutionStatus" });

        Assert.Equal(5, response.Count);
        Assert.Equal(["\"Completed\"", "\"Running\""], response.Groups.Select(group => Encoding.UTF8.GetString(group.GroupValues[0].Data.Span)));
    }

    [Fact]
    public void Count_GroupByExecutionStatus_GroupValuesDecodeWithTheSdkConverter()
    {
        var response = _store.Count(new CountWorkflowExecutionsRequest { Query = "GROUP BY ExecutionStatus" });

        var value = Temporalio.Converters.DataConverter.Default.PayloadConverter.ToValue(response.Groups[0].GroupValues[0], typeof(string));

        Assert.Equal("Completed", value);
    }
}
