using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;
using Temporalio.Testing;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Schedules through the SDK's schedule client, driven by the devserver's clock in time-skipping mode.</summary>
[Collection(ScheduleGroup.Name)]
public class Schedule_Specs(TimeSkippingEnvironmentFixture fixture)
{
    private WorkflowEnvironment Env => fixture.Environment;

    private ITemporalClient Client => Env.Client;

    [Fact]
    public async Task IntervalSchedule_ThreeHoursSkipped_StartsThreeRunsEachHandedThePreviousResult()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<CountingWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.CreateScheduleAsync($"sched-{Guid.NewGuid()}", new Schedule(
                ScheduleActionStartWorkflow.Create((CountingWorkflow wf) => wf.RunAsync(), new(id: "counting", taskQueue: queue)),
                new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] }));
            try
            {
                await Env.DelayAsync(TimeSpan.FromHours(3));
                var description = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions == 3 && d.Info.RunningActions.Count == 0);
                var last = Assert.IsType<ScheduleActionExecutionStartWorkflow>(description.Info.RecentActions.Last().Action);
                Assert.Equal(3, await Client.GetWorkflowHandle(last.WorkflowId).GetResultAsync<int>());
                Assert.StartsWith("counting-", last.WorkflowId, StringComparison.Ordinal);
                Assert.All(description.Info.NextActionTimes, t => Assert.Equal(0, t.Minute));
            }
            finally
            {
                await Schedules.RemoveAsync(Client, handle);
            }
        });
    }

    [Theory]
    [InlineData(ScheduleOverlapPolicy.Skip, 1, 1, 2)]
    [InlineData(ScheduleOverlapPolicy.AllowAll, 3, 3, 0)]
    [InlineData(ScheduleOverlapPolicy.BufferOne, 1, 1, 1)]
    [InlineData(ScheduleOverlapPolicy.BufferAll, 1, 1, 0)]
    [InlineData(ScheduleOverlapPolicy.CancelOther, 3, 1, 0)]
    [InlineData(ScheduleOverlapPolicy.TerminateOther, 3, 1, 0)]
    public async Task OverlapPolicy_ThreeTimesWhileTheFirstRuns_ActsAsTemporal(ScheduleOverlapPolicy overlap, int actions, int running, int skipped)
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<WaitForeverWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.CreateScheduleAsync($"sched-{Guid.NewGuid()}", new Schedule(
                ScheduleActionStartWorkflow.Create((WaitForeverWorkflow wf) => wf.RunAsync(), new(id: "overlap", taskQueue: queue)),
                new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] })
            {
                Policy = new SchedulePolicy { Overlap = overlap },
            });
            try
            {
                await Env.DelayAsync(TimeSpan.FromHours(3));
                var description = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions == actions && d.Info.RunningActions.Count == running);
                Assert.Equal(skipped, description.Info.NumActionsSkippedOverlap);
                if (overlap is ScheduleOverlapPolicy.BufferOne or ScheduleOverlapPolicy.BufferAll)
                {
                    // The buffered start waits for the running workflow to close.
                    var first = Assert.IsType<ScheduleActionExecutionStartWorkflow>(description.Info.RunningActions.Single());
                    await Client.GetWorkflowHandle(first.WorkflowId).TerminateAsync("make way");
                    var after = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions == 2 && d.Info.RunningActions.Count == 1);
                    Assert.NotEqual(first.WorkflowId, Assert.IsType<ScheduleActionExecutionStartWorkflow>(after.Info.RunningActions.Single()).WorkflowId);
                }
            }
            finally
            {
                await Schedules.RemoveAsync(Client, handle);
            }
        });
    }

    [Fact]
    public async Task PauseOnFailure_WorkflowFails_SchedulePausesAndHandsTheFailureOn()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<FailingWorkflow>().AddWorkflow<LastFailureWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.CreateScheduleAsync($"sched-{Guid.NewGuid()}", new Schedule(
                ScheduleActionStartWorkflow.Create((FailingWorkflow wf) => wf.RunAsync(), new(id: "failing", taskQueue: queue)),
                new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] })
            {
                Policy = new SchedulePolicy { PauseOnFailure = true },
            });
            try
            {
                await Env.DelayAsync(TimeSpan.FromHours(3));
                var paused = await Schedules.DescribeUntilAsync(handle, d => d.Schedule.State.Paused);
                Assert.Equal(1, paused.Info.NumActions);
                Assert.Contains("workflow failed on purpose", paused.Schedule.State.Note, StringComparison.Ordinal);

                // The next action, whatever its workflow, is told of the last failure.
                await handle.UpdateAsync(input => new ScheduleUpdate(input.Description.Schedule with
                {
                    Action = ScheduleActionStartWorkflow.Create((LastFailureWorkflow wf) => wf.RunAsync(), new(id: "after-failure", taskQueue: queue)),
                }));
                await handle.TriggerAsync();
                var triggered = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions == 2);
                var run = Assert.IsType<ScheduleActionExecutionStartWorkflow>(triggered.Info.RecentActions.Last().Action);
                Assert.Equal("workflow failed on purpose", await Client.GetWorkflowHandle(run.WorkflowId).GetResultAsync<string>());
            }
            finally
            {
                await Schedules.RemoveAsync(Client, handle);
            }
        });
    }

    [Fact]
    public async Task PausedSchedule_TriggerPauseUnpauseUpdate_DescribeShowsEachChange()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.CreateScheduleAsync($"sched-{Guid.NewGuid()}", new Schedule(
                ScheduleActionStartWorkflow.Create((HelloWorkflow wf) => wf.RunAsync("schedule"), new(id: "hello", taskQueue: queue)),
                new ScheduleSpec { CronExpressions = ["0 12 * * MON"] })
            {
                State = new ScheduleState { Paused = true, Note = "created paused" },
            });
            try
            {
                var created = await handle.DescribeAsync();
                // Temporal stores a cron string as the calendar it means.
                Assert.Empty(created.Schedule.Spec.CronExpressions);
                var calendar = Assert.Single(created.Schedule.Spec.Calendars);
                Assert.Equal([new ScheduleRange(12)], calendar.Hour);
                Assert.Equal([new ScheduleRange(1)], calendar.DayOfWeek);
                Assert.Equal(10, created.Info.NextActionTimes.Count);
                Assert.All(created.Info.NextActionTimes, t => Assert.Equal((DayOfWeek.Monday, 12), (t.DayOfWeek, t.Hour)));

                await handle.TriggerAsync();
                var triggered = await Schedules.DescribeUntilAsync(handle, d => d.Info.RecentActions.Count == 1 && d.Info.RunningActions.Count == 0);
                var run = Assert.IsType<ScheduleActionExecutionStartWorkflow>(triggered.Info.RecentActions.Single().Action);
                Assert.Equal("Hello, schedule!", await Client.GetWorkflowHandle(run.WorkflowId, run.FirstExecutionRunId).GetResultAsync<string>());

                await handle.UnpauseAsync("back on");
                Assert.Equal((false, "back on"), await PausedAndNoteAsync(handle));
                await handle.PauseAsync();
                Assert.Equal((true, "Paused via .NET SDK"), await PausedAndNoteAsync(handle));

                await handle.UpdateAsync(input =>
                {
                    var action = Assert.IsType<ScheduleActionStartWorkflow>(input.Description.Schedule.Action);
                    action.Options.TaskTimeout = TimeSpan.FromMinutes(7);
                    return new ScheduleUpdate(input.Description.Schedule);
                });
                var updated = await handle.DescribeAsync();
                Assert.Equal(TimeSpan.FromMinutes(7), Assert.IsType<ScheduleActionStartWorkflow>(updated.Schedule.Action).Options.TaskTimeout);
                Assert.NotNull(updated.Info.LastUpdatedAt);
                await Assert.ThrowsAsync<ScheduleAlreadyRunningException>(() => Client.CreateScheduleAsync(handle.Id, updated.Schedule));
            }
            finally
            {
                await Schedules.RemoveAsync(Client, handle);
            }
        });
    }

    [Fact]
    public async Task Backfill_ThreeHoursOfAPausedSchedule_StartsThreeRunsInOrder()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<CountingWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.CreateScheduleAsync($"sched-{Guid.NewGuid()}", new Schedule(
                ScheduleActionStartWorkflow.Create((CountingWorkflow wf) => wf.RunAsync(), new(id: "backfill", taskQueue: queue)),
                new ScheduleSpec { Intervals = [new ScheduleIntervalSpec(TimeSpan.FromHours(1))] })
            {
                State = new ScheduleState { Paused = true },
            });
            try
            {
                var now = await Env.GetCurrentTimeAsync();
                var hour = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerHour, DateTimeKind.Utc);
                await handle.BackfillAsync([new ScheduleBackfill(hour.AddHours(-3), hour.AddHours(-1), ScheduleOverlapPolicy.BufferAll)]);
                var description = await Schedules.DescribeUntilAsync(handle, d => d.Info.NumActions == 3 && d.Info.RunningActions.Count == 0);
                var runs = description.Info.RecentActions.Select(a => Assert.IsType<ScheduleActionExecutionStartWorkflow>(a.Action).WorkflowId).ToList();
                Assert.Equal([$"backfill-{hour.AddHours(-3):yyyy-MM-ddTHH:mm:ssZ}", $"backfill-{hour.AddHours(-2):yyyy-MM-ddTHH:mm:ssZ}", $"backfill-{hour.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}"], runs);
                Assert.Equal(3, await Client.GetWorkflowHandle(runs[^1]).GetResultAsync<int>());
            }
            finally
            {
                await Schedules.RemoveAsync(Client, handle);
            }
        });
    }

    [Fact]
    public async Task ListSchedules_QueryOnPaused_ReturnsOnlyThePausedOne()
    {
        var queue = TestQueues.Unique();
        var action = ScheduleActionStartWorkflow.Create((HelloWorkflow wf) => wf.RunAsync("list"), new(id: "listed", taskQueue: queue));
        var spec = new ScheduleSpec { CronExpressions = ["@daily"] };
        var paused = await Client.CreateScheduleAsync($"paused-{Guid.NewGuid()}", new Schedule(action, spec) { State = new ScheduleState { Paused = true } });
        var active = await Client.CreateScheduleAsync($"active-{Guid.NewGuid()}", new Schedule(action, spec));
        try
        {
            var all = new List<string>();
            await foreach (var listed in Client.ListSchedulesAsync())
            {
                all.Add(listed.Id);
            }
            Assert.Contains(paused.Id, all);
            Assert.Contains(active.Id, all);
            var pausedOnly = new List<string>();
            await foreach (var listed in Client.ListSchedulesAsync(new ScheduleListOptions { Query = "TemporalSchedulePaused = true" }))
            {
                pausedOnly.Add(listed.Id);
            }
            Assert.Equal([paused.Id], pausedOnly);
        }
        finally
        {
            await paused.DeleteAsync();
            await active.DeleteAsync();
        }
    }

    private static async Task<(bool Paused, string? Note)> PausedAndNoteAsync(ScheduleHandle handle)
    {
        var state = (await handle.DescribeAsync()).Schedule.State;
        return (state.Paused, state.Note);
    }
}
