using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class WorkflowTask_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task WorkflowTask_NeverCompleted_TimesOutAndIsScheduledAgain()
    {
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        var service = server.Client.WorkflowService;
        var ns = server.Client.Options.Namespace;
        await service.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = ns,
            WorkflowId = id,
            WorkflowType = new WorkflowType { Name = "HelloWorkflow" },
            TaskQueue = new TaskQueue { Name = queue },
            Input = new Payloads { Payloads_ = { server.Client.Options.DataConverter.PayloadConverter.ToPayload("lost") } },
            WorkflowTaskTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)),
            RequestId = Guid.NewGuid().ToString(),
        });
        var abandoned = await service.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest { Namespace = ns, TaskQueue = new TaskQueue { Name = queue }, Identity = "crashing-worker" });
        Assert.Equal(1, abandoned.Attempt);

        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.GetWorkflowHandle(id).GetResultAsync<string>());

        Assert.Equal("Hello, lost!", result);
        var history = await server.Client.GetWorkflowHandle(id).FetchHistoryAsync();
        Assert.Contains(history.Events, e => e.EventType == EventType.WorkflowTaskTimedOut);
        var retried = history.Events.Last(e => e.EventType == EventType.WorkflowTaskScheduled);
        Assert.Equal(2, retried.WorkflowTaskScheduledEventAttributes.Attempt);
    }

    [Fact]
    public async Task RespondWorkflowTaskCompleted_ReplayedToken_NotFound()
    {
        var queue = TestQueues.Unique();
        var service = server.Client.WorkflowService;
        var ns = server.Client.Options.Namespace;
        var handle = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
        var task = await service.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest { Namespace = ns, TaskQueue = new TaskQueue { Name = queue }, Identity = "test" });
        var completion = new RespondWorkflowTaskCompletedRequest { Namespace = ns, TaskToken = task.TaskToken, Identity = "test" };
        await service.RespondWorkflowTaskCompletedAsync(completion);

        var error = await Assert.ThrowsAsync<RpcException>(() => service.RespondWorkflowTaskCompletedAsync(completion));
        Assert.Equal(RpcException.StatusCode.NotFound, error.Code);
        await handle.TerminateAsync();
    }

    [Fact]
    public async Task RespondWorkflowTaskCompleted_BogusToken_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.WorkflowService.RespondWorkflowTaskCompletedAsync(
            new RespondWorkflowTaskCompletedRequest { Namespace = "default", TaskToken = ByteString.CopyFromUtf8("not a token") }));
        Assert.Equal(RpcException.StatusCode.InvalidArgument, error.Code);
    }

    [Fact]
    public async Task StartWorkflow_UnknownNamespace_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.WorkflowService.StartWorkflowExecutionAsync(new StartWorkflowExecutionRequest
        {
            Namespace = "no-such-namespace",
            WorkflowId = "x",
            WorkflowType = new WorkflowType { Name = "HelloWorkflow" },
            TaskQueue = new TaskQueue { Name = "q" },
            RequestId = Guid.NewGuid().ToString(),
        }));
        Assert.Equal(RpcException.StatusCode.NotFound, error.Code);
    }

    [Fact]
    public async Task StickyWorker_ShutDown_NextTaskRunsOnAnotherWorker()
    {
        var queue = TestQueues.Unique();
        var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue));
        using (var first = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>()))
        {
            await first.ExecuteAsync(async () =>
            {
                await handle.SignalAsync(wf => wf.AddAsync("a"));
                Assert.Equal(1, await handle.QueryAsync(wf => wf.Count));
            });
        }
        using var second = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<SignalWorkflow>());
        var result = await second.ExecuteAsync(async () =>
        {
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            return await handle.GetResultAsync();
        });
        Assert.Equal("a,b", result);
    }

    [Fact]
    public async Task FetchHistory_CompletedWorkflow_ReplaysWithoutNondeterminism()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<ActivityChainWorkflow>().AddAllActivities(new TestActivities()));
        var handle = await worker.ExecuteAsync(async () =>
        {
            var started = await server.Client.StartWorkflowAsync((ActivityChainWorkflow wf) => wf.RunAsync("replay"), new(Guid.NewGuid().ToString(), queue));
            await started.GetResultAsync();
            return started;
        });
        var history = await handle.FetchHistoryAsync();
        var replayer = new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<ActivityChainWorkflow>());
        var replay = await replayer.ReplayWorkflowAsync(history);
        Assert.Null(replay.ReplayFailure);
    }

    [Fact]
    public async Task StartWorkflow_InputOverFourMebibytes_ResourceExhausted()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => server.Client.StartWorkflowAsync(
            (HelloWorkflow wf) => wf.RunAsync(new string('x', 5 * 1024 * 1024)), new(Guid.NewGuid().ToString(), TestQueues.Unique())));
        Assert.Equal(RpcException.StatusCode.ResourceExhausted, error.Code);
    }
}
