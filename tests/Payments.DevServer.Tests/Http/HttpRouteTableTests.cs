using Payments.DevServer.Http;

namespace Payments.DevServer.Tests.Http;

/// <summary>The route table read from the google.api.http annotations of Temporal's services.</summary>
public class HttpRouteTableTests
{
    [Theory]
    [InlineData("GET", "/api/v1/namespaces/{namespace}/workflows", "ListWorkflowExecutions")]
    [InlineData("GET", "/api/v1/namespaces/{namespace}/workflow-count", "CountWorkflowExecutions")]
    [InlineData("GET", "/api/v1/namespaces/{namespace}/workflows/{execution.workflow_id}", "DescribeWorkflowExecution")]
    [InlineData("GET", "/api/v1/namespaces/{namespace}/workflows/{execution.workflow_id}/history", "GetWorkflowExecutionHistory")]
    [InlineData("POST", "/api/v1/namespaces/{namespace}/workflows/{workflow_id}", "StartWorkflowExecution")]
    [InlineData("POST", "/api/v1/namespaces/{namespace}/workflows/{workflow_execution.workflow_id}/signal/{signal_name}", "SignalWorkflowExecution")]
    [InlineData("POST", "/api/v1/namespaces/{namespace}/workflows/{execution.workflow_id}/query/{query.query_type}", "QueryWorkflow")]
    [InlineData("POST", "/api/v1/namespaces/{namespace}/workflows/{workflow_execution.workflow_id}/terminate", "TerminateWorkflowExecution")]
    [InlineData("GET", "/api/v1/namespaces", "ListNamespaces")]
    [InlineData("GET", "/api/v1/namespaces/{namespace}", "DescribeNamespace")]
    [InlineData("GET", "/api/v1/system-info", "GetSystemInfo")]
    [InlineData("GET", "/api/v1/cluster-info", "GetClusterInfo")]
    [InlineData("GET", "/api/v1/namespaces/{namespace}/search-attributes", "ListSearchAttributes")]
    [InlineData("GET", "/api/v1/namespaces/{namespace}/task-queues/{task_queue.name}", "DescribeTaskQueue")]
    [InlineData("DELETE", "/api/v1/namespaces/{namespace}/schedules/{schedule_id}", "DeleteSchedule")]
    public void Routes_AnnotatedBinding_MapsToItsMethod(string verb, string template, string method)
    {
        var route = Assert.Single(TemporalHttpApi.Routes, route => route.Verb == verb && route.Template == template);

        Assert.Equal(method, route.Method.Name);
    }

    [Fact]
    public void Routes_EveryVerbAndPattern_IsUnambiguous()
    {
        var duplicates = TemporalHttpApi.Routes
            .GroupBy(route => (route.Verb, route.RoutePattern))
            .Where(group => group.Count() > 1)
            .Select(group => group.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Routes_OnlyApiV1Bindings_AreMapped()
    {
        Assert.All(TemporalHttpApi.Routes, route => Assert.StartsWith("/api/v1/", route.Template, StringComparison.Ordinal));
        Assert.True(TemporalHttpApi.Routes.Count > 100);
    }

    [Fact]
    public void RoutePattern_NestedFields_AreRenamedInOrder()
    {
        var route = Assert.Single(TemporalHttpApi.Routes, route => route.Method.Name == "QueryWorkflow");

        Assert.Equal("/api/v1/namespaces/{p0}/workflows/{p1}/query/{p2}", route.RoutePattern);
        Assert.Equal(["namespace", "execution.workflow_id", "query.query_type"], route.PathFields);
        Assert.True(route.BodyIsRequest);
    }
}
