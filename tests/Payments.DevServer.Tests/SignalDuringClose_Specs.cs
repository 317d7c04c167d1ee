using System.Collections.Concurrent;
using Temporalio.Activities;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>
/// A signal that arrives while the workflow's task completes it is not lost: as on Temporal the close is refused
/// (UnhandledCommand), a new task brings the signal, the SDK replays and the workflow completes having seen it.
/// </summary>
[Collection(InProcessGroup.Name)]
public class SignalDuringClose_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task CompleteWorkflow_SignalArrivedDuringTheTask_WorkflowSeesItAndCompletes()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue)
            .AddWorkflow<SignalDuringCloseWorkflow>()
            .AddAllActivities(new SelfSignalActivities(server.Client)));
        var (result, history) = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalDuringCloseWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            return (await handle.GetResultAsync(), await handle.FetchHistoryAsync());
        });

        Assert.Equal("late", result);
        var events = history.Events.ToList();
        var failed = Assert.Single(events, historyEvent => historyEvent.EventType == EventType.WorkflowTaskFailed);
        Assert.Equal(WorkflowTaskFailedCause.UnhandledCommand, failed.WorkflowTaskFailedEventAttributes.Cause);
        Assert.Equal("UnhandledCommand", failed.WorkflowTaskFailedEventAttributes.Failure.Message);
        var afterFailure = events.Skip(events.IndexOf(failed) + 1).ToList();
        Assert.Equal(EventType.WorkflowExecutionSignaled, afterFailure[0].EventType);
        var retried = afterFailure[1].WorkflowTaskScheduledEventAttributes;
        Assert.Equal((1, TaskQueueKind.Normal), (retried.Attempt, retried.TaskQueue.Kind));
        Assert.Equal(EventType.WorkflowExecutionCompleted, events[^1].EventType);
    }
}

/// <summary>Signals itself from a local activity, so the signal lands while the task that ends the workflow is in flight.</summary>
[Workflow]
public class SignalDuringCloseWorkflow
{
    private readonly List<string> _received = [];

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.ExecuteLocalActivityAsync((SelfSignalActivities activities) => activities.SignalOnceAsync(Workflow.Info.WorkflowId),
            new LocalActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
        return string.Join(",", _received);
    }

    [WorkflowSignal]
    public Task NoteAsync(string value)
    {
        _received.Add(value);
        return Task.CompletedTask;
    }
}

public class SelfSignalActivities(ITemporalClient client)
{
    private readonly ConcurrentDictionary<string, bool> _signalled = new();

    /// <summary>Signals the workflow the first time only: the replayed task runs the local activity again.</summary>
    [Activity]
    public async Task SignalOnceAsync(string workflowId)
    {
        if (_signalled.TryAdd(workflowId, true))
        {
            await client.GetWorkflowHandle<SignalDuringCloseWorkflow>(workflowId).SignalAsync(wf => wf.NoteAsync("late"));
        }
    }
}
