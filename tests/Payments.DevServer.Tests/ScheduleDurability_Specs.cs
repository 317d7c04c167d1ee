using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Schedules in the durable mode: a restart on the same database file picks them up where they were.</summary>
public sealed class ScheduleDurability_Specs : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("devserver-schedules-").FullName;

    private string DatabaseFile => Path.Combine(_directory, "temporal.db");

    [Fact]
    public async Task RestartedServer_EverySecondSchedule_KeepsFiringAndHandingOnResults()
    {
        var queue = TestQueues.Unique();
        var scheduleId = $"sched-{Guid.NewGuid()}";
        long actionsBeforeRestart;
        await using (var first = await TemporalDevServer.StartAsync(new TemporalDevServerOptions { Port = 0, DatabaseFile = DatabaseFile }))
        {
            var client = await TemporalClient.ConnectAsync(new(first.Target));
            using var worker = new TemporalWorker(client, new TemporalWorkerOptions(queue).AddWorkflow<CountingWorkflow>());
            actionsBeforeRestart = await worker.ExecuteAsync(async () =>
            {
                var handle = await client.CreateScheduleAsync(scheduleId, new Schedule(
                    ScheduleActionStartWorkflow.Create((CountingWorkflow wf) => wf.RunAsync(), new(id: "durable-counting", taskQueue: queue)),
                    new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromSeconds(1))] }));
                var description = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions >= 2 && d.Info.RunningActions.Count == 0);
                return description.Info.NumActions;
            });
        }
        await using var second = await TemporalDevServer.StartAsync(new TemporalDevServerOptions { Port = 0, DatabaseFile = DatabaseFile });
        var restarted = await TemporalClient.ConnectAsync(new(second.Target));
        using var newWorker = new TemporalWorker(restarted, new TemporalWorkerOptions(queue).AddWorkflow<CountingWorkflow>());
        await newWorker.ExecuteAsync(async () =>
        {
            var handle = restarted.GetScheduleHandle(scheduleId);
            var description = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions > actionsBeforeRestart && d.Info.RunningActions.Count == 0);
            var last = Assert.IsType<ScheduleActionExecutionStartWorkflow>(description.Info.RecentActions.Last().Action);
            // Each run counts on the result handed over by the one before, across the restart too.
            Assert.Equal(description.Info.NumActions, await restarted.GetWorkflowHandle(last.WorkflowId).GetResultAsync<int>());
            Assert.Equal(TimeSpan.FromSeconds(1), Assert.Single(description.Schedule.Spec.Intervals).Every);
            await handle.DeleteAsync();
        });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
