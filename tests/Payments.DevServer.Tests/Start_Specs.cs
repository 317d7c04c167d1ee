using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class Start_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ExecuteWorkflow_HelloWorkflow_ReturnsResult()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("Temporal"), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("Hello, Temporal!", result);
    }

    [Fact]
    public async Task StartWorkflow_IdAlreadyRunning_ThrowsWorkflowAlreadyStarted()
    {
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        var first = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(id, queue));
        var error = await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() => server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(id, queue)));
        Assert.Equal(first.ResultRunId, error.RunId);
        await first.TerminateAsync();
    }

    [Fact]
    public async Task StartWorkflow_UseExistingConflictPolicy_ReturnsRunningRun()
    {
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        var first = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(id, queue));
        var second = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(id, queue) { IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting });
        Assert.Equal(first.ResultRunId, second.ResultRunId);
        await first.TerminateAsync();
    }

    [Fact]
    public async Task StartWorkflow_SameRequestId_ReturnsSameRun()
    {
        var request = new StartWorkflowExecutionRequest
        {
            Namespace = server.Client.Options.Namespace,
            WorkflowId = Guid.NewGuid().ToString(),
            WorkflowType = new WorkflowType { Name = "WaitForeverWorkflow" },
            TaskQueue = new TaskQueue { Name = TestQueues.Unique() },
            RequestId = Guid.NewGuid().ToString(),
        };
        var first = await server.Client.WorkflowService.StartWorkflowExecutionAsync(request);
        var second = await server.Client.WorkflowService.StartWorkflowExecutionAsync(request);
        Assert.Equal(first.RunId, second.RunId);
        await server.Client.GetWorkflowHandle(request.WorkflowId).TerminateAsync();
    }

    [Fact]
    public async Task StartWorkflow_RejectDuplicateAfterCompletion_ThrowsWorkflowAlreadyStarted()
    {
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("x"), new(id, queue)));
        await Assert.ThrowsAsync<WorkflowAlreadyStartedException>(() =>
            server.Client.StartWorkflowAsync((HelloWorkflow wf) => wf.RunAsync("x"), new(id, queue) { IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate }));
    }

    [Fact]
    public async Task Terminate_RunningWorkflow_ResultThrowsTerminated()
    {
        var queue = TestQueues.Unique();
        var handle = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
        await handle.TerminateAsync("enough");
        var error = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
        Assert.IsType<TerminatedFailureException>(error.InnerException);
    }

    [Fact]
    public async Task ExecuteWorkflow_WorkflowThrows_ResultThrowsApplicationFailure()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<FailingWorkflow>());
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(() =>
            server.Client.ExecuteWorkflowAsync((FailingWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue))));
        Assert.Equal("Boom", Assert.IsType<ApplicationFailureException>(error.InnerException).ErrorType);
    }

    [Fact]
    public async Task Cancel_WaitingWorkflow_ResultThrowsCancelled()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<WaitForeverWorkflow>());
        var error = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue));
            await handle.CancelAsync();
            return await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
        });
        Assert.IsType<CanceledFailureException>(error.InnerException);
    }

    [Fact]
    public async Task ExecuteWorkflow_ContinueAsNew_FollowsRunsToResult()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<ContinueAsNewWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((ContinueAsNewWorkflow wf) => wf.RunAsync(3), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal(42, result);
    }

    [Fact]
    public async Task RunTimeout_WorkflowWaitsTooLong_ResultThrowsTimeout()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<WaitForeverWorkflow>());
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(() =>
            server.Client.ExecuteWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue) { RunTimeout = TimeSpan.FromMilliseconds(500) })));
        Assert.IsType<TimeoutFailureException>(error.InnerException);
    }

    [Fact]
    public async Task ExecuteWorkflow_RetryPolicyAndTwoFailures_SucceedsOnThirdRun()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<RetriedWorkflow>());
        var attempt = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((RetriedWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue)
        {
            RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10), MaximumAttempts = 5 },
        }));
        Assert.Equal(3, attempt);
    }

    [Fact]
    public async Task ExecuteWorkflow_RetryPolicyExhausted_FailsWithLastFailure()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<RetriedWorkflow>());
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(() => server.Client.ExecuteWorkflowAsync((RetriedWorkflow wf) => wf.RunAsync(10), new(Guid.NewGuid().ToString(), queue)
        {
            RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10), MaximumAttempts = 2 },
        })));
        Assert.Equal("attempt 2 fails", error.InnerException?.Message);
    }
}
