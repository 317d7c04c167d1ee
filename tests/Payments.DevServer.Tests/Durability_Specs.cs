using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Durable dev mode: the state survives a SIGKILL of the server process.</summary>
public sealed class Durability_Specs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devserver-durability-").FullName;

    private string DatabaseFile => Path.Combine(_directory, "temporal.db");

    [Fact]
    public async Task KilledServer_RestartedOnSameFile_WorkflowWaitingOnSignalCompletes()
    {
        var port = DurableServerProcess.FreePort();
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        using (var first = await StartServerAsync(port))
        {
            var client = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
            using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
            await worker.ExecuteAsync(async () =>
            {
                var handle = await client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(2), new(id, queue));
                await handle.SignalAsync(wf => wf.AddAsync("before-kill"));
                Assert.Equal(1, await handle.QueryAsync(wf => wf.Count));
            });
            first.Kill();
        }
        using var second = await StartServerAsync(port);
        var restarted = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        var result = await newWorker.ExecuteAsync(async () =>
        {
            var handle = restarted.GetWorkflowHandle<SignalWorkflow>(id);
            await handle.SignalAsync(wf => wf.AddAsync("after-restart"));
            return await handle.GetResultAsync<string>();
        });
        Assert.Equal("before-kill,after-restart", result);
        second.Kill();
    }

    [Fact]
    public async Task KilledServer_RestartedOnSameFile_PendingTimerFires()
    {
        var port = DurableServerProcess.FreePort();
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        using (var first = await StartServerAsync(port))
        {
            var client = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
            using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddWorkflow<TimerWorkflow>());
            await worker.ExecuteAsync(async () =>
            {
                var handle = await client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromSeconds(2)), new(id, queue));
                // Started, task scheduled/started/completed, timer started: the timer is stored.
                while ((await handle.DescribeAsync()).HistoryLength < 5)
                {
                    await Task.Delay(20);
                }
            });
            first.Kill();
        }
        using var second = await StartServerAsync(port);
        var restarted = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddWorkflow<TimerWorkflow>());
        var result = await newWorker.ExecuteAsync(() => restarted.GetWorkflowHandle(id).GetResultAsync<string>());
        Assert.Equal("fired", result);
        second.Kill();
    }

    [Fact]
    public async Task KilledServer_RestartedOnSameFile_ActivityInFlightIsRetried()
    {
        var port = DurableServerProcess.FreePort();
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        DurableServerProcess? second = null;
        using (var first = await StartServerAsync(port))
        {
            var client = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
            using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddWorkflow<GateWorkflow>().AddAllActivities(new GateActivities(hang: true)));
            await worker.ExecuteAsync(async () =>
            {
                var handle = await client.StartWorkflowAsync((GateWorkflow wf) => wf.RunAsync(), new(id, queue));
                while (!await ActivityStartedAsync(client, id))
                {
                    await Task.Delay(20);
                }
                first.Kill();
                // Back before this worker stops: told polls complete on shutdown, its SDK waits for the server to end them.
                second = await StartServerAsync(port);
            });
        }
        using var restartedServer = second!;
        var restarted = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddWorkflow<GateWorkflow>().AddAllActivities(new GateActivities(hang: false)));
        var result = await newWorker.ExecuteAsync(() => restarted.GetWorkflowHandle(id).GetResultAsync<string>());
        // Retried, not lost: attempt 2 or later (the first worker, alive until its shutdown, may take attempt 2 and give it up).
        Assert.StartsWith("passed on attempt ", result, StringComparison.Ordinal);
        var attempt = int.Parse(result["passed on attempt ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(attempt >= 2, result);
        restartedServer.Kill();
    }

    private static async Task<bool> ActivityStartedAsync(ITemporalClient client, string workflowId)
    {
        var description = await client.WorkflowService.DescribeWorkflowExecutionAsync(new()
        {
            Namespace = client.Options.Namespace,
            Execution = new() { WorkflowId = workflowId },
        });
        return description.PendingActivities.Any(a => a.State == Temporalio.Api.Enums.V1.PendingActivityState.Started);
    }

    private Task<DurableServerProcess> StartServerAsync(int port) => DurableServerProcess.StartAsync(port, DatabaseFile);

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
