using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>A paused activity is stopped through its heartbeat, waits while paused, and runs its next attempt once unpaused.</summary>
[Collection(InProcessGroup.Name)]
public class ActivityPause_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task PauseActivity_HeartbeatingAttempt_CancelledAsPausedThenNextAttemptRunsAfterUnpause()
    {
        var activities = new ControlledActivities();
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<OneActivityWorkflow>().AddAllActivities(activities));
        var (paused, result) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((OneActivityWorkflow wf) => wf.RunAsync("HeartbeatUntilStopped", TimeSpan.FromSeconds(1)), new(Guid.NewGuid().ToString(), queue));
            await activities.Reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await server.Client.WorkflowService.PauseActivityAsync(new()
            {
                Namespace = server.Client.Options.Namespace,
                Execution = handle.Execution(),
                Identity = "operator",
                Type = "HeartbeatUntilStopped",
                Reason = "merchant down",
            });
            var paused = await handle.PendingActivityUntilAsync(pending => pending.State == PendingActivityState.Paused);
            await server.Client.WorkflowService.UnpauseActivityAsync(new()
            {
                Namespace = server.Client.Options.Namespace,
                Execution = handle.Execution(),
                Identity = "operator",
                Id = "controlled",
            });
            return (paused, await handle.GetResultAsync<string>());
        });
        Assert.Equal(Temporalio.Activities.ActivityCancelReason.Paused, activities.CancelReason);
        Assert.True(paused.Paused);
        Assert.Equal("merchant down", paused.PauseInfo.Manual.Reason);
        Assert.Equal("operator", paused.PauseInfo.Manual.Identity);
        Assert.Equal("attempt 2", result);
        Assert.Equal([1, 2], activities.Attempts);
    }

    [Fact]
    public async Task PauseActivity_NoSuchActivity_NotFound()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<OneActivityWorkflow>().AddAllActivities(new ControlledActivities()));
        var error = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((OneActivityWorkflow wf) => wf.RunAsync("FailWhenReleased", TimeSpan.FromSeconds(1)), new(Guid.NewGuid().ToString(), queue));
            await handle.PendingActivityUntilAsync(_ => true);
            var failed = await Assert.ThrowsAsync<Temporalio.Exceptions.RpcException>(() => server.Client.WorkflowService.PauseActivityAsync(new()
            {
                Namespace = server.Client.Options.Namespace,
                Execution = handle.Execution(),
                Id = "not-scheduled",
            }));
            await handle.TerminateAsync();
            return failed;
        });
        Assert.Equal(Temporalio.Exceptions.RpcException.StatusCode.NotFound, error.Code);
    }
}
