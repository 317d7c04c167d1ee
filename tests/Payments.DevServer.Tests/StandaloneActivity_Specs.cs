using Temporalio.Activities;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>A client starts an activity without a workflow; a worker runs it; the client reads its result, describes, lists, counts, cancels and terminates it.</summary>
[Collection(InProcessGroup.Name)]
public class StandaloneActivity_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task StartActivity_WorkerCompletesIt_ResultDescribedListedAndCounted()
    {
        var queue = TestQueues.Unique();
        var id = $"greet-{Guid.NewGuid():N}";
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddAllActivities(new StandaloneWork()));
        var (result, description) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartActivityAsync("Greet", ["pay"], new StartActivityOptions(id, queue) { ScheduleToCloseTimeout = TimeSpan.FromMinutes(1) });
            var result = await handle.GetResultAsync<string>();
            return (result, await handle.DescribeAsync());
        });
        Assert.Equal("Hello, pay!", result);
        Assert.Equal(ActivityExecutionStatus.Completed, description.RawInfo.Status);
        var listed = new List<ActivityExecution>();
        await foreach (var execution in server.Client.ListActivitiesAsync($"ActivityId = '{id}'"))
        {
            listed.Add(execution);
        }
        Assert.Equal("Greet", Assert.Single(listed).ActivityType);
        Assert.Equal(1, (await server.Client.CountActivitiesAsync($"ActivityId = '{id}' AND ActivityType = 'Greet'")).Count);
    }

    [Fact]
    public async Task CancelActivity_Heartbeating_ResultFailsCancelled()
    {
        var queue = TestQueues.Unique();
        var work = new StandaloneWork();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddAllActivities(work));
        var error = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartActivityAsync("HeartbeatUntilCancelled", [], new StartActivityOptions($"cancel-{Guid.NewGuid():N}", queue)
            {
                StartToCloseTimeout = TimeSpan.FromMinutes(1),
                HeartbeatTimeout = TimeSpan.FromSeconds(2),
            });
            await work.Started.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await handle.CancelAsync(new() { Reason = "not needed" });
            return await Assert.ThrowsAsync<ActivityFailedException>(() => handle.GetResultAsync());
        });
        Assert.IsType<CanceledFailureException>(error.InnerException);
    }

    [Fact]
    public async Task TerminateActivity_Running_ResultFailsTerminated()
    {
        var queue = TestQueues.Unique();
        var work = new StandaloneWork();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddAllActivities(work));
        var (error, description) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartActivityAsync("HeartbeatUntilCancelled", [], new StartActivityOptions($"terminate-{Guid.NewGuid():N}", queue)
            {
                StartToCloseTimeout = TimeSpan.FromMinutes(1),
                HeartbeatTimeout = TimeSpan.FromSeconds(2),
            });
            await work.Started.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await handle.TerminateAsync(new() { Reason = "operator" });
            return (await Assert.ThrowsAsync<ActivityFailedException>(() => handle.GetResultAsync()), await handle.DescribeAsync());
        });
        var terminated = Assert.IsType<TerminatedFailureException>(error.InnerException);
        Assert.Equal("operator", terminated.Message);
        Assert.Equal(ActivityExecutionStatus.Terminated, description.RawInfo.Status);
    }
}

/// <summary>Activities a client starts on its own.</summary>
public sealed class StandaloneWork
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public string Greet(string name) => $"Hello, {name}!";

    [Activity]
    public async Task HeartbeatUntilCancelled()
    {
        var context = ActivityExecutionContext.Current;
        Started.TrySetResult();
        while (true)
        {
            context.Heartbeat();
            await Task.Delay(100, context.CancellationToken);
        }
    }
}
