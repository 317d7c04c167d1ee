using Temporalio.Api.WorkflowService.V1;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>ShutdownWorker completes the outstanding polls of the worker it names (by instance key) at once, with empty answers,
/// and the namespace says so, so an SDK worker lets its polls end instead of cancelling them.</summary>
[Collection(InProcessGroup.Name)]
public class WorkerShutdown_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ShutdownWorker_PollOutstanding_AnsweredEmptyBeforeThePollHold()
    {
        var queue = TestQueues.Unique();
        var instanceKey = Guid.NewGuid().ToString();
        var poll = server.Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
        {
            Namespace = server.Client.Options.Namespace,
            TaskQueue = new() { Name = queue },
            Identity = "leaving-worker",
            WorkerInstanceKey = instanceKey,
        });
        await PollingAsync(queue);
        await server.Client.WorkflowService.ShutdownWorkerAsync(new ShutdownWorkerRequest
        {
            Namespace = server.Client.Options.Namespace,
            Identity = "leaving-worker",
            WorkerInstanceKey = instanceKey,
            TaskQueue = queue,
        });
        // The server holds an idle poll 20 s; the shutdown answers it long before.
        var answer = await poll.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(answer.TaskToken.IsEmpty);
    }

    [Fact]
    public async Task DescribeNamespace_Capabilities_AdvertisesPollCompleteOnShutdown()
    {
        var described = await server.Client.WorkflowService.DescribeNamespaceAsync(new() { Namespace = server.Client.Options.Namespace });
        Assert.True(described.NamespaceInfo.Capabilities.WorkerPollCompleteOnShutdown);
    }

    [Fact]
    public async Task SdkWorker_StoppedWhilePolling_StopsBeforeThePollHold()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<GateWorkflow>());
        // Told that polls complete on shutdown, the SDK waits for them: the server ends them well inside its 20 s hold.
        await worker.ExecuteAsync(() => PollingAsync(queue)).WaitAsync(TimeSpan.FromSeconds(15));
    }

    private async Task PollingAsync(string queue)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var described = await server.Client.WorkflowService.DescribeTaskQueueAsync(new()
            {
                Namespace = server.Client.Options.Namespace,
                TaskQueue = new() { Name = queue },
                TaskQueueType = Temporalio.Api.Enums.V1.TaskQueueType.Workflow,
            });
            if (described.Pollers.Count > 0)
            {
                return;
            }
            await Task.Delay(20, patience.Token);
        }
    }
}
