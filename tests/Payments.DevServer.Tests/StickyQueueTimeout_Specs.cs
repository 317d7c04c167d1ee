using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace Payments.DevServer.Tests;

/// <summary>
/// A workflow task on a sticky queue that its worker does not start within the sticky schedule-to-start timeout times
/// out (ScheduleToStart), as on Temporal, and the same attempt goes to the workflow's normal queue.
/// </summary>
[Collection(InProcessGroup.Name)]
public class StickyQueueTimeout_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task StickyTask_NotStartedInTime_TimesOutAndTheNormalQueueGetsIt()
    {
        var queue = TestQueues.Unique();
        var sticky = new TaskQueue { Name = $"{queue}-sticky", Kind = TaskQueueKind.Sticky, NormalName = queue };
        var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(3), new(Guid.NewGuid().ToString(), queue));
        var first = await PollAsync(new TaskQueue { Name = queue });
        // The worker polls its sticky queue, takes the next task there, then hangs without shutting down.
        var stickyPoll = PollAsync(sticky);
        while ((await Service.DescribeTaskQueueAsync(new DescribeTaskQueueRequest { Namespace = Namespace, TaskQueue = sticky })).Pollers.Count == 0)
        {
            await Task.Delay(50);
        }
        await CompleteStickyAsync(first, sticky);
        await handle.SignalAsync(wf => wf.AddAsync("authorized"));
        var onSticky = await stickyPoll;
        await CompleteStickyAsync(onSticky, sticky);

        await handle.SignalAsync(wf => wf.AddAsync("paid"));
        var next = await PollAsync(new TaskQueue { Name = queue });

        var events = next.History.Events.SkipWhile(historyEvent => historyEvent.EventId <= onSticky.StartedEventId + 1).ToList();
        Assert.Equal(
            [EventType.WorkflowExecutionSignaled, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskTimedOut, EventType.WorkflowTaskScheduled, EventType.WorkflowTaskStarted],
            events.Select(historyEvent => historyEvent.EventType));
        Assert.Equal((sticky.Name, TaskQueueKind.Sticky), (events[1].WorkflowTaskScheduledEventAttributes.TaskQueue.Name, events[1].WorkflowTaskScheduledEventAttributes.TaskQueue.Kind));
        Assert.Equal(TimeoutType.ScheduleToStart, events[2].WorkflowTaskTimedOutEventAttributes.TimeoutType);
        var retried = events[3].WorkflowTaskScheduledEventAttributes;
        Assert.Equal((queue, TaskQueueKind.Normal, 1), (retried.TaskQueue.Name, retried.TaskQueue.Kind, retried.Attempt));
        Assert.Equal(1, next.Attempt);
        await handle.TerminateAsync();
    }

    private WorkflowService Service => server.Client.WorkflowService;

    private string Namespace => server.Client.Options.Namespace;

    private Task<PollWorkflowTaskQueueResponse> PollAsync(TaskQueue queue) =>
        Service.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest { Namespace = Namespace, TaskQueue = queue, Identity = "worker" });

    /// <summary>Completes a task with no commands, asking for the next one on the sticky queue within 1 s.</summary>
    private Task CompleteStickyAsync(PollWorkflowTaskQueueResponse task, TaskQueue sticky) =>
        Service.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = Namespace,
            TaskToken = task.TaskToken,
            Identity = "worker",
            StickyAttributes = new StickyExecutionAttributes { WorkerTaskQueue = sticky, ScheduleToStartTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) },
        });
}
