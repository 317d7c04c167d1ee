using System.Linq.Expressions;
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
    [Fact]
    public async Task ScheduleActivities_PastNumPendingActivities_TaskFailsWithPendingActivitiesLimitExceeded()
    {
        var failed = await FirstTaskFailureAsync("limit.numPendingActivities.error=1", (TwoAtOnceWorkflow wf) => wf.RunAsync("activities"));

        Assert.Equal(WorkflowTaskFailedCause.PendingActivitiesLimitExceeded, failed.Cause);
        Assert.Equal("PendingActivitiesLimitExceeded: the number of pending activities, 1, has reached the per-workflow limit of 1", failed.Failure.Message);
    }

    [Fact]
    public async Task StartChildren_PastNumPendingChildExecutions_TaskFailsWithPendingChildWorkflowsLimitExceeded()
    {
        var failed = await FirstTaskFailureAsync("limit.numPendingChildExecutions.error=1", (TwoAtOnceWorkflow wf) => wf.RunAsync("children"));

        Assert.Equal(WorkflowTaskFailedCause.PendingChildWorkflowsLimitExceeded, failed.Cause);
        Assert.Equal("PendingChildWorkflowsLimitExceeded: the number of pending child workflow executions, 1, has reached the per-workflow limit of 1", failed.Failure.Message);
    }

    [Fact]
    public async Task SignalExternals_PastNumPendingSignals_TaskFailsWithPendingSignalsLimitExceeded()
    {
        var failed = await FirstTaskFailureAsync("limit.numPendingSignals.error=1", (TwoAtOnceWorkflow wf) => wf.RunAsync("signals"));

        Assert.Equal(WorkflowTaskFailedCause.PendingSignalsLimitExceeded, failed.Cause);
        Assert.Equal("PendingSignalsLimitExceeded: the number of pending signals to external workflows, 1, has reached the per-workflow limit of 1", failed.Failure.Message);
    }

    [Fact]
    public async Task CancelExternals_PastNumPendingCancelRequests_TaskFailsWithPendingRequestCancelLimitExceeded()
    {
        var failed = await FirstTaskFailureAsync("limit.numPendingCancelRequests.error=1", (TwoAtOnceWorkflow wf) => wf.RunAsync("cancels"));

        Assert.Equal(WorkflowTaskFailedCause.PendingRequestCancelLimitExceeded, failed.Cause);
        Assert.Equal("PendingRequestCancelLimitExceeded: the number of pending requests to cancel external workflows, 1, has reached the per-workflow limit of 1", failed.Failure.Message);
    }

    [Fact]
    public async Task ScheduleActivities_WithinNumPendingActivities_BothRun()
    {
        await using var server = await ConfiguredServer.StartAsync("limit.numPendingActivities.error=2");
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<TwoAtOnceWorkflow>().AddAllActivities(new TwoAtOnceActivities()));

        await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((TwoAtOnceWorkflow wf) => wf.RunAsync("activities"), new(Guid.NewGuid().ToString(), queue)));
    }

    /// <summary>Runs the workflow on a server with <paramref name="limit"/> until its first workflow task fails; answers that failure.</summary>
    private static async Task<WorkflowTaskFailedEventAttributes> FirstTaskFailureAsync(string limit, Expression<Func<TwoAtOnceWorkflow, Task>> run)
    {
        await using var server = await ConfiguredServer.StartAsync(limit);
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<TwoAtOnceWorkflow>().AddAllActivities(new TwoAtOnceActivities()));
        return await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync(run, new(Guid.NewGuid().ToString(), queue));
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
