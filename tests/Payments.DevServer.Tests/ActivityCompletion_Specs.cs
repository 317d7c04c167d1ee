using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class ActivityCompletion_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task CompleteById_AsyncActivity_WorkflowGetsResult()
    {
        var queue = TestQueues.Unique();
        var id = Guid.NewGuid().ToString();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<AsyncCompletionWorkflow>().AddAllActivities(new TestActivities()));
        var result = await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((AsyncCompletionWorkflow wf) => wf.RunAsync(), new(id, queue));
            var activity = server.Client.GetAsyncActivityHandle(id, (await handle.DescribeAsync()).RunId, "async-activity");
            // The activity is complete-async: retry until its attempt has started on the worker.
            while (true)
            {
                try
                {
                    await activity.CompleteAsync("done from outside");
                    break;
                }
                catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
                {
                    await Task.Delay(20);
                }
            }
            return await handle.GetResultAsync();
        });
        Assert.Equal("done from outside", result);
    }

    [Fact]
    public async Task Heartbeat_NotSentInTime_ActivityTimesOutWithHeartbeatTimeout()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<HeartbeatTimeoutWorkflow>().AddAllActivities(new TestActivities()));
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(() =>
            server.Client.ExecuteWorkflowAsync((HeartbeatTimeoutWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue))));
        var timeout = Assert.IsType<TimeoutFailureException>(Assert.IsType<ActivityFailureException>(error.InnerException).InnerException);
        Assert.Equal(TimeoutType.Heartbeat, timeout.TimeoutType);
    }
}
