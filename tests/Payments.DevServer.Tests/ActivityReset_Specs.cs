using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Resetting an activity that waits out a retry backoff starts it again at once, at attempt 1.</summary>
[Collection(InProcessGroup.Name)]
public class ActivityReset_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ResetActivity_WaitingForRetry_RunsAgainAtAttemptOne()
    {
        var activities = new ControlledActivities();
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<OneActivityWorkflow>().AddAllActivities(activities));
        var (waiting, result) = await worker.ExecuteAsync(async () =>
        {
            // An hour's backoff: only the reset can bring the next attempt now.
            var handle = await server.Client.StartWorkflowAsync((OneActivityWorkflow wf) => wf.RunAsync("FailWhileFailing", TimeSpan.FromHours(1)), new(Guid.NewGuid().ToString(), queue));
            var waiting = await handle.PendingActivityUntilAsync(pending => pending.Attempt == 2);
            activities.Failing = false;
            await server.Client.WorkflowService.ResetActivityAsync(new()
            {
                Namespace = server.Client.Options.Namespace,
                Execution = handle.Execution(),
                Identity = "operator",
                Id = "controlled",
            });
            return (waiting, await handle.GetResultAsync<string>());
        });
        Assert.Equal("still failing", waiting.LastFailure.Message);
        Assert.Equal("attempt 1", result);
        Assert.Equal([1, 1], activities.Attempts);
    }
}
