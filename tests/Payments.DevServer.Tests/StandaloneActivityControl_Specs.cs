using Temporalio.Activities;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>
/// An operator pauses, unpauses and deletes an activity a client started without a workflow
/// (PauseActivityExecution, UnpauseActivityExecution, DeleteActivityExecution), as on Temporal.
/// </summary>
[Collection(InProcessGroup.Name)]
public class StandaloneActivityControl_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task PauseActivity_NotYetTaken_NoWorkerGetsItUntilTheUnpause()
    {
        var queue = TestQueues.Unique();
        var paused = await server.Client.StartActivityAsync("Greet", ["paused"], new StartActivityOptions($"paused-{Guid.NewGuid():N}", queue) { ScheduleToCloseTimeout = TimeSpan.FromMinutes(2) });
        await PauseAsync(paused.Id);
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddAllActivities(new StandaloneWork()));

        var (whilePaused, result) = await worker.ExecuteAsync(async () =>
        {
            // Queued after the paused one: once this ran, the worker has passed the paused one by.
            var later = await server.Client.StartActivityAsync("Greet", ["later"], new StartActivityOptions($"later-{Guid.NewGuid():N}", queue) { ScheduleToCloseTimeout = TimeSpan.FromMinutes(2) });
            await later.GetResultAsync<string>();
            var whilePaused = (await paused.DescribeAsync()).RawInfo;
            await server.Client.WorkflowService.UnpauseActivityExecutionAsync(new UnpauseActivityExecutionRequest { Namespace = server.Client.Options.Namespace, ActivityId = paused.Id, Identity = "operator" });
            return (whilePaused, await paused.GetResultAsync<string>());
        });

        Assert.Equal((PendingActivityState.Paused, null), (whilePaused.RunState, whilePaused.LastStartedTime));
        Assert.Equal("Hello, paused!", result);
    }

    [Fact]
    public async Task PauseActivity_Running_CancelledAsPausedThenTheNextAttemptRunsAfterTheUnpause()
    {
        var queue = TestQueues.Unique();
        var work = new PausableWork();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddAllActivities(work));

        var (whilePaused, result) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartActivityAsync("HeartbeatUntilPaused", [], new StartActivityOptions($"running-{Guid.NewGuid():N}", queue)
            {
                StartToCloseTimeout = TimeSpan.FromMinutes(1),
                HeartbeatTimeout = TimeSpan.FromSeconds(10),
            });
            await work.Started.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await PauseAsync(handle.Id);
            var whilePaused = await DescribeUntilAsync(handle.Id, info => info.RunState == PendingActivityState.Paused);
            await server.Client.WorkflowService.UnpauseActivityExecutionAsync(new UnpauseActivityExecutionRequest { Namespace = server.Client.Options.Namespace, ActivityId = handle.Id, Identity = "operator" });
            return (whilePaused, await handle.GetResultAsync<int>());
        });

        Assert.Equal(ActivityCancelReason.Paused, work.CancelReason);
        Assert.Equal(2, whilePaused.Attempt);
        Assert.Equal(2, result);
    }

    [Fact]
    public async Task DeleteActivity_Running_TerminatedAndForgottenSoItsIdIsFreeAgain()
    {
        var queue = TestQueues.Unique();
        var id = $"deleted-{Guid.NewGuid():N}";
        var first = await server.Client.StartActivityAsync("Greet", ["first"], new StartActivityOptions(id, queue) { ScheduleToCloseTimeout = TimeSpan.FromMinutes(2) });

        await server.Client.WorkflowService.DeleteActivityExecutionAsync(new DeleteActivityExecutionRequest { Namespace = server.Client.Options.Namespace, ActivityId = id });

        var gone = await Assert.ThrowsAsync<RpcException>(() => first.DescribeAsync());
        Assert.Equal(RpcException.StatusCode.NotFound, gone.Code);
        var again = await server.Client.StartActivityAsync("Greet", ["again"], new StartActivityOptions(id, queue) { ScheduleToCloseTimeout = TimeSpan.FromMinutes(2) });
        Assert.NotEqual(first.RunId, again.RunId);
        await again.TerminateAsync();
    }

    private Task PauseAsync(string activityId) =>
        server.Client.WorkflowService.PauseActivityExecutionAsync(new PauseActivityExecutionRequest
        {
            Namespace = server.Client.Options.Namespace,
            ActivityId = activityId,
            Identity = "operator",
            Reason = "merchant endpoint down",
        });

    /// <summary>Describes the activity with the server's long poll until <paramref name="reached"/> holds.</summary>
    private async Task<ActivityExecutionInfo> DescribeUntilAsync(string activityId, Func<ActivityExecutionInfo, bool> reached)
    {
        var request = new DescribeActivityExecutionRequest { Namespace = server.Client.Options.Namespace, ActivityId = activityId };
        while (true)
        {
            var described = await server.Client.WorkflowService.DescribeActivityExecutionAsync(request);
            if (reached(described.Info))
            {
                return described.Info;
            }
            request.LongPollToken = described.LongPollToken;
        }
    }
}

/// <summary>The first attempt heartbeats until the operator's pause cancels it; the next one answers its attempt.</summary>
public sealed class PausableWork
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActivityCancelReason CancelReason { get; private set; }

    [Activity]
    public async Task<int> HeartbeatUntilPaused()
    {
        var context = ActivityExecutionContext.Current;
        if (context.Info.Attempt > 1)
        {
            return context.Info.Attempt;
        }
        Started.TrySetResult();
        try
        {
            while (true)
            {
                context.Heartbeat();
                await Task.Delay(100, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            CancelReason = context.CancelReason;
            throw;
        }
    }
}
