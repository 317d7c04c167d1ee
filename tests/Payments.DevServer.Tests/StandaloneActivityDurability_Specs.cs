using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>
/// Standalone activities across a SIGKILL of the durable server: a finished one keeps its outcome, a paused one stays
/// paused, one still waiting for a worker runs after the restart, beside a workflow whose timer fired meanwhile (the
/// restore re-arms it). The chaos run's failure (activities read while re-arming wrote) is a race this spec did not
/// reproduce; the restore now reads everything before it re-arms.
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
            using (var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddAllActivities(new StandaloneWork()).AddWorkflow<TimerWorkflow>()))
            {
                await worker.ExecuteAsync(async () =>
                {
                    await (await client.StartActivityAsync("Greet", ["finished"], options("finished"))).GetResultAsync<string>();
                    var timer = await client.StartWorkflowAsync((TimerWorkflow workflow) => workflow.RunAsync(TimeSpan.FromSeconds(1)), new("timer", queue));
                    // Started, task scheduled/started/completed, timer started: the timer is stored.
                    while ((await timer.DescribeAsync()).HistoryLength < 5)
                    {
                        await Task.Delay(20);
                    }
                });
            }
            await client.StartActivityAsync("Greet", ["paused"], options("paused"));
            await client.WorkflowService.PauseActivityExecutionAsync(new PauseActivityExecutionRequest { Namespace = client.Options.Namespace, ActivityId = "paused", Identity = "operator" });
            await client.StartActivityAsync("Greet", ["waiting"], options("waiting"));
            first.Kill();
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        using var second = await DurableServerProcess.StartAsync(port, DatabaseFile);
        var restarted = await TemporalClient.ConnectAsync(new($"127.0.0.1:{port}"));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddAllActivities(new StandaloneWork()).AddWorkflow<TimerWorkflow>());
        var (finished, paused, waiting, timer) = await newWorker.ExecuteAsync(async () => (
            await restarted.GetActivityHandle("finished").GetResultAsync<string>(),
            (await restarted.GetActivityHandle("paused").DescribeAsync()).RawInfo.RunState,
            await restarted.GetActivityHandle("waiting").GetResultAsync<string>(),
            await restarted.GetWorkflowHandle("timer").GetResultAsync<string>()));

        Assert.Equal(("Hello, finished!", PendingActivityState.Paused, "Hello, waiting!", "fired"), (finished, paused, waiting, timer));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
