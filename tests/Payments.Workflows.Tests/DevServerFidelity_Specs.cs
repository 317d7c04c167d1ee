using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace Payments.Workflows.Tests;

/// <summary>
/// What the workflows rely on from the time-skipping server, reduced to the smallest case. Temporal's test server
/// holds virtual time while an activity task is scheduled (not only once it is started), so every retry that falls
/// due inside a skipped stretch runs at its own time.
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class DevServerFidelity_Specs(WorkflowEnvironmentFixture fixture)
{
    [Fact]
    public async Task Sleep_WhileAnActivityFailsEverySecond_RunsEveryRetryDueInTheSleptTime()
    {
        var taskQueue = $"fidelity-{Guid.NewGuid():N}";
        using var worker = new TemporalWorker(
            fixture.Client,
            new TemporalWorkerOptions(taskQueue).AddWorkflow<AlwaysFailingActivityWorkflow>().AddAllActivities(new AlwaysFailingActivity()));
        await worker.ExecuteAsync(async () =>
        {
            var handle = await fixture.Client.StartWorkflowAsync(
                (AlwaysFailingActivityWorkflow wf) => wf.RunAsync(), new(taskQueue + "-wf", taskQueue));

            await fixture.Environment.DelayAsync(TimeSpan.FromMinutes(1));

            var description = await fixture.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
            {
                Namespace = fixture.Client.Options.Namespace,
                Execution = new WorkflowExecution { WorkflowId = handle.Id },
            });
            var attempt = Assert.Single(description.PendingActivities).Attempt;
            await handle.TerminateAsync();
            Assert.True(attempt >= 30, $"a retry every second for a minute of virtual time ran only {attempt} attempts");
        });
    }

    [Workflow]
    public sealed class AlwaysFailingActivityWorkflow
    {
        [WorkflowRun]
        public Task RunAsync() => Workflow.ExecuteActivityAsync(
            (AlwaysFailingActivity a) => a.Fail(),
            new ActivityOptions
            {
                StartToCloseTimeout = TimeSpan.FromSeconds(10),
                RetryPolicy = new Temporalio.Common.RetryPolicy { InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 1 },
            });
    }

    public sealed class AlwaysFailingActivity
    {
        [Activity]
        public void Fail() => throw new InvalidOperationException("down");
    }
}
