using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>The server completes a shutting-down worker's long polls (and says so in DescribeNamespace), so the worker stops without waiting them out.</summary>
[Collection(InProcessGroup.Name)]
public class WorkerShutdown_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task WorkerShutdown_PollsOutstanding_CompletedByTheServer()
    {
        var description = await server.Client.WorkflowService.DescribeNamespaceAsync(new() { Namespace = server.Client.Options.Namespace });
        Assert.True(description.NamespaceInfo.Capabilities.WorkerPollCompleteOnShutdown);

        var queue = TestQueues.Unique();
        using var stopping = new CancellationTokenSource();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HelloWorkflow>());
        var running = worker.ExecuteAsync(stopping.Token);
        await PollingAsync(queue);
        await stopping.CancelAsync();
        // The server holds an idle poll 20 s; a worker left to wait its polls out would not stop within 10.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(10)));
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
