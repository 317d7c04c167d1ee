using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>The engine keeps the visibility store current: listing, counting, and the HTTP/JSON API the UI reads.</summary>
public sealed class Visibility_Engine_Specs : IAsyncLifetime
{
    private TemporalDevServer _server = null!;
    private ITemporalClient _client = null!;

    public async Task InitializeAsync()
    {
        var options = new TemporalDevServerOptions { Port = 0, UiPort = 0 };
        options.SearchAttributes["PaymentStatus"] = IndexedValueType.Keyword;
        _server = await TemporalDevServer.StartAsync(options);
        _client = await TemporalClient.ConnectAsync(new(_server.Target));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ListWorkflows_CompletedAndRunning_ReportsBothWithStatus()
    {
        var queue = TestQueues.Unique();
        var running = await _client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
        using var worker = new TemporalWorker(_client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        var completedId = Guid.NewGuid().ToString();
        await worker.ExecuteAsync(() => _client.ExecuteWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("v"), new(completedId, queue)));

        var completed = new List<WorkflowExecution>();
        await foreach (var execution in _client.ListWorkflowsAsync("ExecutionStatus = 'Completed'"))
        {
            completed.Add(execution);
        }
        var count = await _client.CountWorkflowsAsync($"WorkflowId = '{running.Id}' AND ExecutionStatus = 'Running'");

        Assert.Equal(completedId, Assert.Single(completed).Id);
        Assert.Equal(1, count.Count);
        await running.TerminateAsync();
    }

    [Fact]
    public async Task ListWorkflows_ByAttributeRegisteredAtStart_FindsTheWorkflow()
    {
        var status = SearchAttributeKey.CreateKeyword("PaymentStatus");
        var handle = await _client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), TestQueues.Unique())
        {
            TypedSearchAttributes = new SearchAttributeCollection.Builder().Set(status, "SUSPENDED").ToSearchAttributeCollection(),
        });

        var found = new List<string>();
        await foreach (var execution in _client.ListWorkflowsAsync("PaymentStatus = 'SUSPENDED'"))
        {
            found.Add(execution.Id);
        }

        Assert.Equal(handle.Id, Assert.Single(found));
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task HttpApi_ListWorkflows_AnswersJsonWithTheWorkflow()
    {
        var handle = await _client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), TestQueues.Unique()));
        using var http = new HttpClient { BaseAddress = new Uri(_server.UiAddress!) };

        var json = await http.GetStringAsync(new Uri("/api/v1/namespaces/default/workflows", UriKind.Relative));

        Assert.Contains(handle.Id, json, StringComparison.Ordinal);
        await handle.TerminateAsync();
    }
}
