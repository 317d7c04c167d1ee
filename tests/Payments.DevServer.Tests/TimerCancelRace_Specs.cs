using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Command.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Tests;

/// <summary>
/// A timer that fires while the workflow task cancelling it runs: the history must read as the worker decided (a cancel,
/// no firing), or every replay of it fails on non-determinism (found by the chaos run: payments stuck after a restart).
/// </summary>
[Collection(InProcessGroup.Name)]
public class TimerCancelRace_Specs(InProcessServerFixture server)
{
    private static readonly TimeSpan FireAfter = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task CancelTimer_FiredDuringTheCancellingTask_HistoryShowsTheCancelOnly()
    {
        var queue = TestQueues.Unique();
        var service = server.Client.WorkflowService;
        var ns = server.Client.Options.Namespace;
        var handle = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
        var poll = new PollWorkflowTaskQueueRequest { Namespace = ns, TaskQueue = new TaskQueue { Name = queue }, Identity = "test" };
        var first = await service.PollWorkflowTaskQueueAsync(poll);
        await service.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = ns,
            TaskToken = first.TaskToken,
            Identity = "test",
            Commands =
            {
                new Command
                {
                    CommandType = CommandType.StartTimer,
                    StartTimerCommandAttributes = new StartTimerCommandAttributes { TimerId = "1", StartToFireTimeout = Duration.FromTimeSpan(FireAfter) },
                },
            },
        });
        var timerStartedAt = DateTime.UtcNow;

        // A signal brings the next task, which is taken and held while the timer fires: its firing is buffered.
        await handle.SignalAsync("wake", []);
        var cancelling = await service.PollWorkflowTaskQueueAsync(poll);
        var fired = timerStartedAt + FireAfter + TimeSpan.FromSeconds(1) - DateTime.UtcNow;
        await Task.Delay(fired > TimeSpan.Zero ? fired : TimeSpan.Zero);
        await service.RespondWorkflowTaskCompletedAsync(new RespondWorkflowTaskCompletedRequest
        {
            Namespace = ns,
            TaskToken = cancelling.TaskToken,
            Identity = "test",
            Commands = { new Command { CommandType = CommandType.CancelTimer, CancelTimerCommandAttributes = new CancelTimerCommandAttributes { TimerId = "1" } } },
        });

        var history = await handle.FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.TimerCanceled);
        Assert.DoesNotContain(history.Events, e => e.EventType == EventType.TimerFired);
        await handle.TerminateAsync();
    }
}
