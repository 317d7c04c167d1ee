using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Payments.DevServer.Tests.Visibility;
using Payments.DevServer.Visibility;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Tests.Http;

/// <summary>The workflow list and counts the Temporal UI shows, served over HTTP from a real visibility store.</summary>
public sealed class HttpVisibilityTests : IAsyncLifetime
{
    private readonly VisibilityStore _store = new(Executions.Registry());
    private HttpApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await HttpApiHost.StartAsync(DispatchAsync);
        _store.Upsert(Executions.Info("pay-1", attributes: builder => builder.Set(Executions.CustomerId, "c-1")));
        _store.Upsert(Executions.Info("pay-2", WorkflowExecutionStatus.Completed, startMinute: 1));
        _store.Upsert(Executions.Info("pay-3", WorkflowExecutionStatus.Failed, startMinute: 2));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListWorkflows_ByWorkflowId_AnswersProto3Json()
    {
        var json = await GetJsonAsync("/api/v1/namespaces/default/workflows?query=" + Uri.EscapeDataString("WorkflowId = 'pay-1'"));

        var execution = json.GetProperty("executions").EnumerateArray().Single();
        Assert.Equal("pay-1", execution.GetProperty("execution").GetProperty("workflowId").GetString());
        Assert.Equal("WORKFLOW_EXECUTION_STATUS_RUNNING", execution.GetProperty("status").GetString());
        Assert.Equal("3", execution.GetProperty("historyLength").GetString());
        Assert.Equal("2026-01-01T00:00:00Z", execution.GetProperty("startTime").GetString());
        var customer = execution.GetProperty("searchAttributes").GetProperty("indexedFields").GetProperty("CustomerId");
        Assert.Equal("\"c-1\"", System.Text.Encoding.UTF8.GetString(customer.GetProperty("data").GetBytesFromBase64()));
        Assert.Equal("json/plain", System.Text.Encoding.UTF8.GetString(customer.GetProperty("metadata").GetProperty("encoding").GetBytesFromBase64()));
    }

    [Fact]
    public async Task ListWorkflows_PageSizeTwo_PagesFollowTheNextPageToken()
    {
        var first = await GetJsonAsync("/api/v1/namespaces/default/workflows?pageSize=2");
        var token = first.GetProperty("nextPageToken").GetString()!;
        var second = await GetJsonAsync($"/api/v1/namespaces/default/workflows?pageSize=2&nextPageToken={Uri.EscapeDataString(token)}");

        Assert.Equal(["pay-1", "pay-3"], Ids(first));
        Assert.Equal(["pay-2"], Ids(second));
        Assert.False(second.TryGetProperty("nextPageToken", out _));
    }

    [Fact]
    public async Task CountWorkflows_GroupByExecutionStatus_AnswersGroups()
    {
        var json = await GetJsonAsync("/api/v1/namespaces/default/workflow-count?query=" + Uri.EscapeDataString("GROUP BY ExecutionStatus"));

        Assert.Equal("3", json.GetProperty("count").GetString());
        Assert.Equal(3, json.GetProperty("groups").GetArrayLength());
        Assert.All(json.GetProperty("groups").EnumerateArray(), group => Assert.Equal("1", group.GetProperty("count").GetString()));
    }

    [Fact]
    public async Task ListSearchAttributes_WithCustomRegistered_AnswersCustomAndSystemMaps()
    {
        var json = await GetJsonAsync("/api/v1/namespaces/default/search-attributes");

        Assert.Equal("INDEXED_VALUE_TYPE_KEYWORD", json.GetProperty("customAttributes").GetProperty("CustomerId").GetString());
        Assert.Equal("INDEXED_VALUE_TYPE_DATETIME", json.GetProperty("systemAttributes").GetProperty("StartTime").GetString());
    }

    [Fact]
    public async Task ListWorkflows_MalformedQuery_IsBadRequestWithTheMessage()
    {
        var response = await _host.Client.GetAsync("/api/v1/namespaces/default/workflows?query=" + Uri.EscapeDataString("Nope = 1"));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(3, json.GetProperty("code").GetInt32());
        Assert.Equal("invalid query: invalid search attribute: Nope", json.GetProperty("message").GetString());
        Assert.Equal(0, json.GetProperty("details").GetArrayLength());
    }

    private Task<IMessage> DispatchAsync(string method, IMessage request, CancellationToken cancellation) => Task.FromResult<IMessage>(method switch
    {
        "ListWorkflowExecutions" => _store.List((ListWorkflowExecutionsRequest)request),
        "CountWorkflowExecutions" => _store.Count((CountWorkflowExecutionsRequest)request),
        "ListSearchAttributes" => _store.Registry.ListSearchAttributes((ListSearchAttributesRequest)request),
        _ => throw new RpcException(new Status(StatusCode.Unimplemented, $"{method} is not implemented")),
    });

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        var response = await _host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<string?> Ids(JsonElement list) =>
        list.GetProperty("executions").EnumerateArray().Select(info => info.GetProperty("execution").GetProperty("workflowId").GetString()).ToList();
}
