using System.Net;
using System.Net.Http.Json;
using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Tests.Http;

/// <summary>How an HTTP request becomes the RPC request the dispatcher receives: path, query string and JSON body.</summary>
public sealed class HttpRequestMappingTests : IAsyncLifetime
{
    private readonly RecordingDispatcher _dispatcher = new();
    private HttpApiHost _host = null!;

    public async Task InitializeAsync() => _host = await HttpApiHost.StartAsync(_dispatcher.DispatchAsync);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_ListWorkflows_QueryStringFillsTheRequest()
    {
        var token = Convert.ToBase64String("page-2"u8.ToArray());

        var response = await _host.Client.GetAsync(
            $"/api/v1/namespaces/default/workflows?query={Uri.EscapeDataString("WorkflowType = 'PaymentCompletion'")}&pageSize=20&nextPageToken={Uri.EscapeDataString(token)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ListWorkflowExecutions", _dispatcher.Method);
        var request = Assert.IsType<ListWorkflowExecutionsRequest>(_dispatcher.Request);
        Assert.Equal("default", request.Namespace);
        Assert.Equal("WorkflowType = 'PaymentCompletion'", request.Query);
        Assert.Equal(20, request.PageSize);
        Assert.Equal("page-2", request.NextPageToken.ToStringUtf8());
    }

    [Fact]
    public async Task Get_Describe_NestedQueryParameterAndEncodedSlashInPath()
    {
        var response = await _host.Client.GetAsync("/api/v1/namespaces/payments/workflows/merchant%2Fpay-1?execution.runId=r-9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.IsType<DescribeWorkflowExecutionRequest>(_dispatcher.Request);
        Assert.Equal("payments", request.Namespace);
        Assert.Equal("merchant/pay-1", request.Execution.WorkflowId);
        Assert.Equal("r-9", request.Execution.RunId);
    }

    [Fact]
    public async Task Get_History_BooleansEnumsAndSnakeCaseNamesConvert()
    {
        var response = await _host.Client.GetAsync(
            "/api/v1/namespaces/default/workflows/pay-1/history?wait_new_event=true&maximumPageSize=50&historyEventFilterType=2&skipArchival=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.IsType<GetWorkflowExecutionHistoryRequest>(_dispatcher.Request);
        Assert.Equal("pay-1", request.Execution.WorkflowId);
        Assert.True(request.WaitNewEvent);
        Assert.True(request.SkipArchival);
        Assert.Equal(50, request.MaximumPageSize);
        Assert.Equal(HistoryEventFilterType.CloseEvent, request.HistoryEventFilterType);
    }

    [Theory]
    [InlineData("waitNewEvent=maybe")]
    [InlineData("maximumPageSize=many")]
    public async Task Get_ValueNotOfTheFieldsType_IsBadRequest(string parameter)
    {
        var response = await _host.Client.GetAsync($"/api/v1/namespaces/default/workflows/pay-1/history?{parameter}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(_dispatcher.Method);
    }

    [Fact]
    public async Task Get_EnumByName_Converts()
    {
        await _host.Client.GetAsync("/api/v1/namespaces/default/workflows/pay-1/history?historyEventFilterType=HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT");

        Assert.Equal(HistoryEventFilterType.CloseEvent, Assert.IsType<GetWorkflowExecutionHistoryRequest>(_dispatcher.Request).HistoryEventFilterType);
    }

    [Fact]
    public async Task Post_Signal_BodyAndPathFieldsCombine()
    {
        var response = await _host.Client.PostAsJsonAsync(
            "/api/v1/namespaces/default/workflows/pay-1/signal/bank-callback",
            new { workflowExecution = new { runId = "r-1" }, identity = "ui", input = new { payloads = new[] { new { data = Convert.ToBase64String("\"ok\""u8.ToArray()) } } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.IsType<SignalWorkflowExecutionRequest>(_dispatcher.Request);
        Assert.Equal("pay-1", request.WorkflowExecution.WorkflowId);
        Assert.Equal("r-1", request.WorkflowExecution.RunId);
        Assert.Equal("bank-callback", request.SignalName);
        Assert.Equal("ui", request.Identity);
        Assert.Equal("\"ok\"", request.Input.Payloads_.Single().Data.ToStringUtf8());
    }

    [Fact]
    public async Task Post_Query_PathFieldNestsIntoTheBodysMessage()
    {
        var response = await _host.Client.PostAsJsonAsync(
            "/api/v1/namespaces/default/workflows/pay-1/query/status",
            new { execution = new { runId = "r-1" }, query = new { queryArgs = new { payloads = Array.Empty<object>() } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.IsType<QueryWorkflowRequest>(_dispatcher.Request);
        Assert.Equal(("pay-1", "r-1"), (request.Execution.WorkflowId, request.Execution.RunId));
        Assert.Equal("status", request.Query.QueryType);
    }

    [Fact]
    public async Task Post_NamespaceInPathAndBody_PathWins()
    {
        await _host.Client.PostAsJsonAsync("/api/v1/namespaces/default/workflows/pay-1/terminate", new { @namespace = "other", reason = "stuck" });

        var request = Assert.IsType<TerminateWorkflowExecutionRequest>(_dispatcher.Request);
        Assert.Equal("default", request.Namespace);
        Assert.Equal("stuck", request.Reason);
    }

    [Fact]
    public async Task Post_EmptyBody_IsAnEmptyRequest()
    {
        var response = await _host.Client.PostAsync("/api/v1/namespaces/default/workflows/pay-1/terminate", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pay-1", Assert.IsType<TerminateWorkflowExecutionRequest>(_dispatcher.Request).WorkflowExecution.WorkflowId);
    }

    [Fact]
    public async Task Post_Start_ProtoJsonFieldsParse()
    {
        var body = """
            {"workflowType":{"name":"PaymentCompletion"},"taskQueue":{"name":"payments"},"requestId":"req-1",
             "workflowRunTimeout":"30s","workflowIdReusePolicy":"WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE","unknownFutureField":1}
            """;

        var response = await _host.Client.PostAsync("/api/v1/namespaces/default/workflows/pay-1", new StringContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.IsType<StartWorkflowExecutionRequest>(_dispatcher.Request);
        Assert.Equal(("pay-1", "PaymentCompletion", "payments"), (request.WorkflowId, request.WorkflowType.Name, request.TaskQueue.Name));
        Assert.Equal(TimeSpan.FromSeconds(30), request.WorkflowRunTimeout.ToTimeSpan());
        Assert.Equal(WorkflowIdReusePolicy.RejectDuplicate, request.WorkflowIdReusePolicy);
    }

    [Fact]
    public async Task Post_MalformedJson_IsBadRequestWithInvalidArgument()
    {
        var response = await _host.Client.PostAsync("/api/v1/namespaces/default/workflows/pay-1", new StringContent("{\"workflowType\":"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetInt32());
        Assert.Null(_dispatcher.Method);
    }

    [Fact]
    public async Task Get_UnknownApiPath_IsNotFound()
    {
        var response = await _host.Client.GetAsync("/api/v1/no-such-thing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_SystemInfo_AnswersTheDispatchersResponseAsJson()
    {
        var response = await _host.Client.GetAsync("/api/v1/system-info");

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{ }", await response.Content.ReadAsStringAsync());
        Assert.IsType<GetSystemInfoRequest>(_dispatcher.Request);
    }
}
