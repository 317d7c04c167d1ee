using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Tests;

/// <summary>ShutdownWorker completes the outstanding polls of the worker it names (by instance key) at once, with empty answers.</summary>
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
