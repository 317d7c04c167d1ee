using Temporalio.Activities;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>
/// A workflow task kept alive while local activities run: the worker completes it asking for a new one
/// (<c>force_create_new_workflow_task</c>, <c>return_new_workflow_task</c>), and, as on Temporal, the next task is
/// started at once and handed back in the answer, so the local activity outlives the task timeout undisturbed.
/// </summary>
[Collection(InProcessGroup.Name)]
public class WorkflowTaskHeartbeat_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task LocalActivity_LongerThanTheTaskTimeout_RunsOnceAndNoTaskTimesOut()
    {
        var queue = TestQueues.Unique();
        var activities = new SlowLocalActivities(TimeSpan.FromSeconds(20));
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue)
            .AddWorkflow<SlowLocalStepWorkflow>()
            .AddAllActivities(activities));

        var handle = await server.Client.StartWorkflowAsync((SlowLocalStepWorkflow wf) => wf.RunAsync(), new(queue, queue) { TaskTimeout = TimeSpan.FromSeconds(10) });
        var result = await worker.ExecuteAsync(() => handle.GetResultAsync());

        Assert.Equal("settled", result);
        Assert.Equal(1, activities.Runs);
        var history = await handle.FetchHistoryAsync();
        Assert.DoesNotContain(history.Events, historyEvent => historyEvent.EventType is EventType.WorkflowTaskTimedOut or EventType.WorkflowTaskFailed);
        // The 20 s step spans two 80 % marks of the 10 s timeout (each a completed task and a new one); a 2 s timeout left
        // too little slack for a busy CI machine, where a late heartbeat timed the task out and the step ran again.
        Assert.True(history.Events.Count(historyEvent => historyEvent.EventType == EventType.WorkflowTaskCompleted) >= 3);
    }

    [Fact]
    public async Task RespondWorkflowTaskCompleted_ForcedAndReturnNew_AnswersTheNextTaskStarted()
    {
        var queue = TestQueues.Unique();
        var service = server.Client.WorkflowService;
        var ns = server.Client.Options.Namespace;
        var handle = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
        var first = await service.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest { Namespace = ns, TaskQueue = new TaskQueue { Name = queue }, Identity = "worker" });

        var answer = await service.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = ns,
            TaskToken = first.TaskToken,
            Identity = "worker",
            ForceCreateNewWorkflowTask = true,
            ReturnNewWorkflowTask = true,
        });

        var next = answer.WorkflowTask;
        Assert.NotNull(next);
        Assert.Equal(
            [EventType.WorkflowTaskCompleted, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted],
            next.History.Events.Select(historyEvent => historyEvent.EventType));
        Assert.Equal((first.StartedEventId, first.StartedEventId + 3, 1), (next.PreviousStartedEventId, next.StartedEventId, next.Attempt));
        // The handed task is the started one: its token completes it.
        await service.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest { Namespace = ns, TaskToken = next.TaskToken, Identity = "worker" });
        var history = await handle.FetchHistoryAsync();
        Assert.Equal(EventType.WorkflowTaskCompleted, history.Events.Last().EventType);
        await handle.TerminateAsync();
    }
}

/// <summary>One local step that takes longer than the workflow task timeout.</summary>
[Workflow]
public class SlowLocalStepWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() =>
        Workflow.ExecuteLocalActivityAsync((SlowLocalActivities a) => a.SettleAsync(), new LocalActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(60) });
}

public class SlowLocalActivities(TimeSpan takes)
{
    private int _runs;

    public int Runs => _runs;

    [Activity]
    public async Task<string> SettleAsync()
    {
        Interlocked.Increment(ref _runs);
        await Task.Delay(takes, ActivityExecutionContext.Current.CancellationToken);
        return "settled";
    }
}
