using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Reset makes a new run from the history up to a workflow task, fails that task, and terminates the old run.</summary>
[Collection(InProcessGroup.Name)]
public class Reset_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Reset_ToLastWorkflowTask_NewRunGoesOnAndOldRunIsTerminated()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await StartWithTwoSignalsAsync(queue);
            var lastTask = (await handle.CompletedWorkflowTasksAsync())[^1];
            var newRunId = await handle.ResetAsync(lastTask);
            var oldRun = server.Client.GetWorkflowHandle(handle.Id, runId: handle.ResultRunId);
            Assert.Equal(WorkflowExecutionStatus.Terminated, (await oldRun.DescribeAsync()).Status);
            var terminated = (await oldRun.FetchHistoryAsync()).Events.Last().WorkflowExecutionTerminatedEventAttributes;
            Assert.Equal(WorkflowResetting.Reason, terminated.Reason);

            var reset = server.Client.GetWorkflowHandle<SignalWorkflow>(handle.Id, runId: newRunId);
            var failed = (await reset.FetchHistoryAsync()).Events.ElementAt((int)lastTask - 1);
            Assert.Equal(WorkflowTaskFailedCause.ResetWorkflow, failed.WorkflowTaskFailedEventAttributes.Cause);
            Assert.Equal((handle.ResultRunId, newRunId), (failed.WorkflowTaskFailedEventAttributes.BaseRunId, failed.WorkflowTaskFailedEventAttributes.NewRunId));
            await reset.SignalAsync(wf => wf.AddAsync("c"));
            Assert.Equal("a,b,c", await reset.GetResultAsync<string>());
        });
    }

    [Fact]
    public async Task Reset_ToFirstWorkflowTask_NewRunKeepsFirstRunIdAndReplays()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await StartWithTwoSignalsAsync(queue);
            var newRunId = await handle.ResetAsync((await handle.CompletedWorkflowTasksAsync())[0], ResetReapplyExcludeType.Signal, ResetReapplyExcludeType.Update);
            var reset = server.Client.GetWorkflowHandle<SignalWorkflow>(handle.Id, runId: newRunId);
            await reset.SignalAsync(wf => wf.AddAsync("x"));
            await reset.SignalAsync(wf => wf.AddAsync("y"));
            await reset.SignalAsync(wf => wf.AddAsync("z"));
            Assert.Equal("x,y,z", await reset.GetResultAsync<string>());
            Assert.Equal(handle.ResultRunId, (await reset.RawInfoAsync()).FirstRunId);
            var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<SignalWorkflow>()).ReplayWorkflowAsync(await reset.FetchHistoryAsync());
            Assert.Null(replay.ReplayFailure);
        });
    }

    [Fact]
    public async Task Reset_ToEventWithoutPendingWorkflowTask_IsRefusedAndChangesNothing()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await StartWithTwoSignalsAsync(queue);
            var firstSignal = (await handle.FetchHistoryAsync()).Events.First(historyEvent => historyEvent.EventType == EventType.WorkflowExecutionSignaled);
            var error = await Assert.ThrowsAsync<RpcException>(() => handle.ResetAsync(firstSignal.EventId + 1));
            Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
            Assert.StartsWith("Can only reset workflow to event ID in range", error.Message);
            Assert.Equal(WorkflowExecutionStatus.Running, (await handle.DescribeAsync()).Status);
            Assert.Equal(handle.ResultRunId, (await server.Client.GetWorkflowHandle(handle.Id).DescribeAsync()).RunId);
            await handle.TerminateAsync();
        });
    }

    /// <summary>A SignalWorkflow waiting for three signals that has handled "a" and "b", each in a workflow task after the first.</summary>
    private async Task<WorkflowHandle<SignalWorkflow>> StartWithTwoSignalsAsync(string queue)
    {
        var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(3), new(Guid.NewGuid().ToString(), queue));
        Assert.Equal(0, await handle.QueryAsync(wf => wf.Count));
        await handle.SignalAsync(wf => wf.AddAsync("a"));
        Assert.Equal(1, await handle.QueryAsync(wf => wf.Count));
        await handle.SignalAsync(wf => wf.AddAsync("b"));
        Assert.Equal(2, await handle.QueryAsync(wf => wf.Count));
        return handle;
    }
}
