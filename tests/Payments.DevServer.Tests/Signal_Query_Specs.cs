using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class Signal_Query_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Signal_RunningWorkflow_DeliveredInOrder()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        var result = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(3), new(Guid.NewGuid().ToString(), queue));
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            await handle.SignalAsync(wf => wf.AddAsync("c"));
            return await handle.GetResultAsync();
        });
        Assert.Equal("a,b,c", result);
    }

    [Fact]
    public async Task SignalWithStart_NoRunningWorkflow_StartsAndDelivers()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        var result = await worker.ExecuteAsync(async () =>
        {
            var options = new WorkflowOptions(Guid.NewGuid().ToString(), queue);
            options.SignalWithStart((SignalWorkflow wf) => wf.AddAsync("first"));
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(1), options);
            return await handle.GetResultAsync();
        });
        Assert.Equal("first", result);
    }

    [Fact]
    public async Task Query_RunningWorkflow_AnsweredByWorker()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        var count = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(5), new(Guid.NewGuid().ToString(), queue));
            await handle.SignalAsync(wf => wf.AddAsync("x"));
            await handle.SignalAsync(wf => wf.AddAsync("y"));
            var seen = await handle.QueryAsync(wf => wf.Count);
            await handle.TerminateAsync();
            return seen;
        });
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Query_CompletedWorkflow_AnsweredByReplay()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue) { MaxCachedWorkflows = 0 }.AddWorkflow<SignalWorkflow>());
        var count = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(1), new(Guid.NewGuid().ToString(), queue));
            await handle.SignalAsync(wf => wf.AddAsync("only"));
            await handle.GetResultAsync();
            return await handle.QueryAsync(wf => wf.Count);
        });
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Query_UnknownQueryType_ThrowsQueryFailed()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(1), new(Guid.NewGuid().ToString(), queue));
            await Assert.ThrowsAsync<WorkflowQueryFailedException>(() => handle.QueryAsync<int>("no-such-query", []));
            await handle.TerminateAsync();
        });
    }

    [Fact]
    public async Task Query_RejectNotOpenOnClosedWorkflow_ThrowsQueryRejected()
    {
        var queue = TestQueues.Unique();
        var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(1), new(Guid.NewGuid().ToString(), queue));
        await handle.TerminateAsync();
        var error = await Assert.ThrowsAsync<WorkflowQueryRejectedException>(() =>
            handle.QueryAsync(wf => wf.Count, new() { RejectCondition = QueryRejectCondition.NotOpen }));
        Assert.Equal(WorkflowExecutionStatus.Terminated, error.WorkflowStatus);
    }

    [Fact]
    public async Task SignalExternal_FromWorkflow_DeliveredToTarget()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>().AddWorkflow<ExternalSignalWorkflow>());
        var result = await worker.ExecuteAsync(async () =>
        {
            var target = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(1), new(Guid.NewGuid().ToString(), queue));
            await server.Client.ExecuteWorkflowAsync((ExternalSignalWorkflow wf) => wf.RunAsync(target.Id), new(Guid.NewGuid().ToString(), queue));
            return await target.GetResultAsync();
        });
        Assert.Equal("from-workflow", result);
    }
}
