using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Options an operator changes on a running activity act on it: here its retry policy ends its retries.</summary>
[Collection(InProcessGroup.Name)]
public class ActivityOptions_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task UpdateActivityOptions_MaximumAttemptsLowered_FailureNoLongerRetried()
    {
        var activities = new ControlledActivities();
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<OneActivityWorkflow>().AddAllActivities(activities));
        var (answered, described, error) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((OneActivityWorkflow wf) => wf.RunAsync("FailWhenReleased", TimeSpan.FromSeconds(1)), new(Guid.NewGuid().ToString(), queue));
            await activities.Reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
            var answered = await server.Client.WorkflowService.UpdateActivityOptionsAsync(new()
            {
                Namespace = server.Client.Options.Namespace,
                Execution = handle.Execution(),
                Identity = "operator",
                Id = "controlled",
                ActivityOptions = new()
                {
                    RetryPolicy = new() { MaximumAttempts = 1 },
                    StartToCloseTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
                },
                UpdateMask = new FieldMask { Paths = { "retry_policy.maximum_attempts", "start_to_close_timeout" } },
            });
            var described = await handle.PendingActivityUntilAsync(_ => true);
            activities.Release.SetResult();
            return (answered, described, await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync<string>()));
        });
        Assert.Equal(1, answered.ActivityOptions.RetryPolicy.MaximumAttempts);
        Assert.Equal(TimeSpan.FromMinutes(10), described.ActivityOptions.StartToCloseTimeout.ToTimeSpan());
        Assert.Equal(1, described.ActivityOptions.RetryPolicy.MaximumAttempts);
        var activityFailure = Assert.IsType<ActivityFailureException>(error.InnerException);
        Assert.Equal(RetryState.MaximumAttemptsReached, activityFailure.RetryState);
        Assert.Equal([1], activities.Attempts);
    }
}
