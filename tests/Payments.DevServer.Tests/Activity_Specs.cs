using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class Activity_Specs(InProcessServerFixture server)
{
    private async Task<T> RunAsync<T>(TestActivities activities, Func<string, Task<T>> run, Func<TemporalWorkerOptions, TemporalWorkerOptions> register)
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, register(new TemporalWorkerOptions(queue).AddAllActivities(activities)));
        return await worker.ExecuteAsync(() => run(queue));
    }

    [Fact]
    public async Task ExecuteActivity_ActivitiesAndTimer_ReturnsResult()
    {
        var result = await RunAsync(new TestActivities(),
            queue => server.Client.ExecuteWorkflowAsync((ActivityChainWorkflow wf) => wf.RunAsync("pay"), new(Guid.NewGuid().ToString(), queue)),
            o => o.AddWorkflow<ActivityChainWorkflow>());
        Assert.Equal("PAY-AGAIN", result);
    }

    [Fact]
    public async Task ExecuteActivity_FailsTwice_RetriedUntilSuccessOnThirdAttempt()
    {
        var activities = new TestActivities();
        var result = await RunAsync(activities,
            queue => server.Client.ExecuteWorkflowAsync((FlakyActivityWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue)),
            o => o.AddWorkflow<FlakyActivityWorkflow>());
        Assert.Equal(3, result);
        Assert.Equal(3, activities.Attempts);
    }

    [Fact]
    public async Task ExecuteActivity_AlwaysFails_StopsAtMaximumAttempts()
    {
        var activities = new TestActivities();
        var error = await RunAsync(activities,
            queue => Assert.ThrowsAsync<WorkflowFailedException>(() => server.Client.ExecuteWorkflowAsync((FlakyActivityWorkflow wf) => wf.RunAsync(100), new(Guid.NewGuid().ToString(), queue))),
            o => o.AddWorkflow<FlakyActivityWorkflow>());
        var activityFailure = Assert.IsType<ActivityFailureException>(error.InnerException);
        Assert.Equal(RetryState.MaximumAttemptsReached, activityFailure.RetryState);
        Assert.Equal(5, activities.Attempts);
    }

    [Fact]
    public async Task ExecuteActivity_NonRetryableFailure_NotRetried()
    {
        var activities = new TestActivities();
        var error = await RunAsync(activities,
            queue => Assert.ThrowsAsync<WorkflowFailedException>(() => server.Client.ExecuteWorkflowAsync((NonRetryableActivityWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue))),
            o => o.AddWorkflow<NonRetryableActivityWorkflow>());
        var activityFailure = Assert.IsType<ActivityFailureException>(error.InnerException);
        Assert.Equal(RetryState.NonRetryableFailure, activityFailure.RetryState);
        Assert.Equal("Fatal", Assert.IsType<ApplicationFailureException>(activityFailure.InnerException).ErrorType);
        Assert.Equal(1, activities.Attempts);
    }

    [Fact]
    public async Task ExecuteActivity_StartToCloseExceeded_FailsWithTimeoutAfterRetries()
    {
        var error = await RunAsync(new TestActivities(),
            queue => Assert.ThrowsAsync<WorkflowFailedException>(() => server.Client.ExecuteWorkflowAsync((SlowActivityWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue))),
            o => o.AddWorkflow<SlowActivityWorkflow>());
        var activityFailure = Assert.IsType<ActivityFailureException>(error.InnerException);
        var timeout = Assert.IsType<TimeoutFailureException>(activityFailure.InnerException);
        Assert.Equal(TimeoutType.StartToClose, timeout.TimeoutType);
        Assert.Equal(RetryState.MaximumAttemptsReached, activityFailure.RetryState);
    }

    [Fact]
    public async Task CancelActivity_Heartbeating_ActivitySeesCancellation()
    {
        var result = await RunAsync(new TestActivities(),
            queue => server.Client.ExecuteWorkflowAsync((HeartbeatCancelWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue)),
            o => o.AddWorkflow<HeartbeatCancelWorkflow>());
        Assert.Equal("cancelled", result);
    }
}
