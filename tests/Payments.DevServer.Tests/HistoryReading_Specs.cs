using WorkflowExecution = Temporalio.Api.Common.V1.WorkflowExecution;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class HistoryReading_Specs(InProcessServerFixture server)
{
    /// <summary>The event sequence real Temporal writes for activity → timer → activity (ActivityTaskStarted only when the attempt ends).</summary>
    private static readonly EventType[] ActivityTimerActivity =
    [
        EventType.WorkflowExecutionStarted, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
        EventType.ActivityTaskScheduled, EventType.ActivityTaskStarted, EventType.ActivityTaskCompleted,
        EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
        EventType.TimerStarted, EventType.TimerFired,
        EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
        EventType.ActivityTaskScheduled, EventType.ActivityTaskStarted, EventType.ActivityTaskCompleted,
        EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted, EventType.WorkflowTaskCompleted,
        EventType.WorkflowExecutionCompleted,
    ];

    private async Task<WorkflowHandle> CompletedActivityChainAsync()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<ActivityChainWorkflow>().AddAllActivities(new TestActivities()));
        return await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((ActivityChainWorkflow wf) => wf.RunAsync("h"), new(Guid.NewGuid().ToString(), queue));
            await handle.GetResultAsync();
            return (WorkflowHandle)handle;
        });
    }

    [Fact]
    public async Task GetHistory_ActivityTimerActivity_MatchesTemporalEventSequence()
    {
        var handle = await CompletedActivityChainAsync();
        var history = await handle.FetchHistoryAsync();
        Assert.Equal(ActivityTimerActivity, history.Events.Select(e => e.EventType));
        Assert.Equal(Enumerable.Range(1, ActivityTimerActivity.Length).Select(i => (long)i), history.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task GetHistory_SmallPages_ConcatenateToWholeHistory()
    {
        var handle = await CompletedActivityChainAsync();
        var events = new List<long>();
        var request = new GetWorkflowExecutionHistoryRequest { Namespace = "default", Execution = new WorkflowExecution { WorkflowId = handle.Id }, MaximumPageSize = 5 };
        do
        {
            var page = await server.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(request);
            events.AddRange(page.History.Events.Select(e => e.EventId));
            request.NextPageToken = page.NextPageToken;
        }
        while (!request.NextPageToken.IsEmpty);
        Assert.Equal(Enumerable.Range(1, ActivityTimerActivity.Length).Select(i => (long)i), events);
    }

    [Fact]
    public async Task GetHistoryReverse_CompletedWorkflow_StartsWithCloseEvent()
    {
        var handle = await CompletedActivityChainAsync();
        var page = await server.Client.WorkflowService.GetWorkflowExecutionHistoryReverseAsync(new GetWorkflowExecutionHistoryReverseRequest
        {
            Namespace = "default",
            Execution = new WorkflowExecution { WorkflowId = handle.Id },
            MaximumPageSize = 3,
        });
        Assert.Equal([22L, 21L, 20L], page.History.Events.Select(e => e.EventId));
        Assert.False(page.NextPageToken.IsEmpty);
    }

    [Fact]
    public async Task DescribeTaskQueue_WhileWorkerPolls_ListsPoller()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        var pollers = await worker.ExecuteAsync(async () =>
        {
            // The hello workflow makes sure the worker has polled this queue at least once.
            await server.Client.ExecuteWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("p"), new(Guid.NewGuid().ToString(), queue));
            var response = await server.Client.WorkflowService.DescribeTaskQueueAsync(new DescribeTaskQueueRequest
            {
                Namespace = "default",
                TaskQueue = new TaskQueue { Name = queue },
                TaskQueueType = TaskQueueType.Workflow,
            });
            return response.Pollers;
        });
        Assert.NotEmpty(pollers);
    }

    [Fact]
    public async Task Describe_RunningWorkflowWithPendingActivity_ListsIt()
    {
        var queue = TestQueues.Unique();
        var handle = await server.Client.StartWorkflowAsync((ActivityChainWorkflow wf) => wf.RunAsync("pending"), new(Guid.NewGuid().ToString(), queue));
        using (var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<ActivityChainWorkflow>()))
        {
            // A workflow-only worker schedules the activity that nobody runs.
            await worker.ExecuteAsync(async () =>
            {
                while ((await handle.DescribeAsync()).HistoryLength < 5)
                {
                    await Task.Delay(20);
                }
            });
        }
        var description = await server.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = "default",
            Execution = new WorkflowExecution { WorkflowId = handle.Id },
        });
        var activity = Assert.Single(description.PendingActivities);
        Assert.Equal("Upper", activity.ActivityType.Name);
        Assert.Equal(PendingActivityState.Scheduled, activity.State);
        await handle.TerminateAsync();
    }
}
