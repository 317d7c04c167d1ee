using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Describe lists a run's automatic reset points: the first workflow task each build completed.</summary>
[Collection(InProcessGroup.Name)]
public class ResetPoints_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Describe_RunWithCompletedTasks_ListsFirstTaskOfTheBuildAsResetPoint()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue) { DeploymentOptions = new(new("payments", "build-one"), false) }.AddWorkflow<SignalWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue));
            await handle.SignalAsync(wf => wf.AddAsync("a"));
            Assert.Equal(1, await handle.QueryAsync(wf => wf.Count));
            var point = Assert.Single((await handle.RawInfoAsync()).AutoResetPoints.Points);
            Assert.Equal((await handle.CompletedWorkflowTasksAsync())[0], point.FirstWorkflowTaskCompletedId);
            Assert.Equal((handle.ResultRunId, "build-one", true), (point.RunId, point.BuildId, point.Resettable));
            await handle.TerminateAsync();
        });
    }
}
