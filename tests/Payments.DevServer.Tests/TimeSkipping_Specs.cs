using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Our launcher as <c>TestServerOptions.ExistingPath</c>: Temporal's time-skipping test environment, offline.</summary>
[Collection(TimeSkippingGroup.Name)]
public class TimeSkipping_Specs(TimeSkippingEnvironmentFixture fixture)
{
    private ITemporalClient Client => fixture.Environment.Client;

    [Fact]
    public async Task ExecuteWorkflow_DayLongEscalationSchedule_CompletesInVirtualTime()
    {
        var queue = TestQueues.Unique();
        var started = DateTime.UtcNow;
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<EscalationWorkflow>());
        var steps = await worker.ExecuteAsync(() => Client.ExecuteWorkflowAsync((EscalationWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal(4, steps);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromHours(1), "a day of timers must not take a day");
    }

    [Fact]
    public async Task DelayAsync_OneHour_AdvancesServerTime()
    {
        var before = await fixture.Environment.GetCurrentTimeAsync();
        await fixture.Environment.DelayAsync(TimeSpan.FromHours(1));
        var after = await fixture.Environment.GetCurrentTimeAsync();
        Assert.True(after - before >= TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task DelayAsync_TwoHoursWithTwoDayTimerPending_StopsAtTwoHours()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<TimerWorkflow>());
        var (before, after, status) = await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.StartWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromDays(2)), new(Guid.NewGuid().ToString(), queue));
            await handle.WaitForEventAsync(EventType.TimerStarted);
            var before = await fixture.Environment.GetCurrentTimeAsync();
            await fixture.Environment.DelayAsync(TimeSpan.FromHours(2));
            var after = await fixture.Environment.GetCurrentTimeAsync();
            return (before, after, (await handle.DescribeAsync()).Status);
        });
        Assert.InRange(after - before, TimeSpan.FromHours(2), TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        Assert.Equal(WorkflowExecutionStatus.Running, status);
    }

    [Fact]
    public async Task ExecuteWorkflow_ActivitiesAndTimer_ReturnsResult()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<ActivityChainWorkflow>().AddAllActivities(new TestActivities()));
        var result = await worker.ExecuteAsync(() => Client.ExecuteWorkflowAsync((ActivityChainWorkflow wf) => wf.RunAsync("ts"), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("TS-AGAIN", result);
    }

    [Fact]
    public async Task ExecuteWorkflow_Signals_Delivered()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        var result = await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue));
            await handle.SignalAsync(wf => wf.AddAsync("1"));
            await handle.SignalAsync(wf => wf.AddAsync("2"));
            return await handle.GetResultAsync();
        });
        Assert.Equal("1,2", result);
    }

    [Fact]
    public async Task ActivityRetry_HourLongBackoff_SkippedInVirtualTime()
    {
        var queue = TestQueues.Unique();
        var activities = new TestActivities();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<SlowRetryWorkflow>().AddAllActivities(activities));
        var attempt = await worker.ExecuteAsync(() => Client.ExecuteWorkflowAsync((SlowRetryWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal(3, attempt);
    }
}
