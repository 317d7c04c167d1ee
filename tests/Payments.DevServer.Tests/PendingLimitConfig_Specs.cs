using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>
/// The limits on a workflow's pending work given as <c>--dynamic-config-value</c> act as on Temporal: the workflow task
/// whose command would pass one fails with the limit's cause and Temporal's words, counting the task's own commands.
/// </summary>
public class PendingLimitConfig_Specs
{
    [Theory]
    [InlineData("limit.numPendingActivities.error", "activities", WorkflowTaskFailedCause.PendingActivitiesLimitExceeded, "pending activities")]
    [InlineData("limit.numPendingChildExecutions.error", "children", WorkflowTaskFailedCause.PendingChildWorkflowsLimitExceeded, "pending child workflow executions")]
    [InlineData("limit.numPendingSignals.error", "signals", WorkflowTaskFailedCause.PendingSignalsLimitExceeded, "pending signals to external workflows")]
    [InlineData("limit.numPendingCancelRequests.error", "cancels", WorkflowTaskFailedCause.PendingRequestCancelLimitExceeded, "pending requests to cancel external workflows")]
    public async Task TwoAtOnce_PastALimitOfOne_TaskFailsWithTheLimitsCause(string limit, string kind, WorkflowTaskFailedCause cause, string description)
    {
        var failed = await FirstTaskFailureAsync($"{limit}=1", kind);

        Assert.Equal(cause, failed.Cause);
        Assert.Equal($"{cause}: the number of {description}, 1, has reached the per-workflow limit of 1", failed.Failure.Message);
    }

    [Fact]
    public async Task ScheduleActivities_WithinNumPendingActivities_BothRun()
    {
        await using var server = await ConfiguredServer.StartAsync("limit.numPendingActivities.error=2");
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<TwoAtOnceWorkflow>().AddAllActivities(new TwoAtOnceActivities()));

        await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((TwoAtOnceWorkflow wf) => wf.RunAsync("activities"), new(Guid.NewGuid().ToString(), queue)));
    }

    /// <summary>Runs the workflow asking for two of <paramref name="kind"/> on a server with <paramref name="limit"/> until its first workflow task fails; answers that failure.</summary>
    private static async Task<WorkflowTaskFailedEventAttributes> FirstTaskFailureAsync(string limit, string kind)
    {
        await using var server = await ConfiguredServer.StartAsync(limit);
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<TwoAtOnceWorkflow>().AddAllActivities(new TwoAtOnceActivities()));
        return await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((TwoAtOnceWorkflow wf) => wf.RunAsync(kind), new(Guid.NewGuid().ToString(), queue));
            var failed = await handle.WaitForEventAsync(EventType.WorkflowTaskFailed);
            await handle.TerminateAsync();
            return failed.WorkflowTaskFailedEventAttributes;
        });
    }
}

/// <summary>Two pieces of pending work of one kind (or none), asked for in one workflow task.</summary>
[Workflow]
public class TwoAtOnceWorkflow
{
    private static readonly ActivityOptions Quick = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    [WorkflowRun]
    public Task RunAsync(string kind) => kind switch
    {
        "activities" => Task.WhenAll(
            Workflow.ExecuteActivityAsync((TwoAtOnceActivities a) => a.Step(), Quick),
            Workflow.ExecuteActivityAsync((TwoAtOnceActivities a) => a.Step(), Quick)),
        "children" => Task.WhenAll(
            Workflow.ExecuteChildWorkflowAsync((TwoAtOnceWorkflow wf) => wf.RunAsync("none")),
            Workflow.ExecuteChildWorkflowAsync((TwoAtOnceWorkflow wf) => wf.RunAsync("none"))),
        "signals" => Task.WhenAll(
            Workflow.GetExternalWorkflowHandle("elsewhere-1").SignalAsync("Poke", []),
            Workflow.GetExternalWorkflowHandle("elsewhere-2").SignalAsync("Poke", [])),
        "cancels" => Task.WhenAll(
            Workflow.GetExternalWorkflowHandle("elsewhere-1").CancelAsync(),
            Workflow.GetExternalWorkflowHandle("elsewhere-2").CancelAsync()),
        _ => Task.CompletedTask,
    };
}

public class TwoAtOnceActivities
{
    [Temporalio.Activities.Activity]
    public void Step()
    {
    }
}
