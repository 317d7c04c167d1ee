using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>
/// Standalone activities across a SIGKILL of the durable server: a finished one keeps its outcome, a paused one stays
/// paused, one still waiting for a worker runs after the restart.
/// </summary>
public sealed class StandaloneActivityDurability_Specs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devserver-activities-").FullName;

    private string DatabaseFile => Path.Combine(_directory, "temporal.db");

    [Fact]
    public async Task KilledServer_FinishedPausedAndWaitingActivities_KeptAcrossTheRestart()
    {
        var port = DurableServerProcess.FreePort();
        var queue = TestQueues.Unique();
        var options = (string id) => new StartActivityOptions(id, queue) { ScheduleToCloseTimeout = TimeSpan.FromMinutes(5) };
        using (var first = await DurableServerProcess.StartAsync(port, DatabaseFile))
        {
            var client = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
            using (var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddAllActivities(new StandaloneWork())))
            {
                await worker.ExecuteAsync(async () =>
                    await (await client.StartActivityAsync("Greet", ["finished"], options("finished"))).GetResultAsync<string>());
            }
            await client.StartActivityAsync("Greet", ["paused"], options("paused"));
            await client.WorkflowService.PauseActivityExecutionAsync(new PauseActivityExecutionRequest { Namespace = client.Options.Namespace, ActivityId = "paused", Identity = "operator" });
            await client.StartActivityAsync("Greet", ["waiting"], options("waiting"));
            first.Kill();
        }

        using var second = await DurableServerProcess.StartAsync(port, DatabaseFile);
        var restarted = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddAllActivities(new StandaloneWork()));
        var (finished, paused, waiting) = await newWorker.ExecuteAsync(async () => (
            await restarted.GetActivityHandle("finished").GetResultAsync<string>(),
            (await restarted.GetActivityHandle("paused").DescribeAsync()).RawInfo.RunState,
            await restarted.GetActivityHandle("waiting").GetResultAsync<string>()));

        Assert.Equal(("Hello, finished!", PendingActivityState.Paused, "Hello, waiting!"), (finished, paused, waiting));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
