using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>A worker with a new build id takes over a running workflow; the history it leaves replays as it ran.</summary>
[Collection(InProcessGroup.Name)]
public class BuildIdTakeover_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task ReplayHistory_NewBuildTookOver_Succeeds()
    {
        var queue = TestQueues.Unique();
        var handle = await server.Client.StartWorkflowAsync((SignalWorkflow wf) => wf.RunAsync(2), new(Guid.NewGuid().ToString(), queue));
        using (var first = Worker(queue, "build-one"))
        {
            await first.ExecuteAsync(async () =>
            {
                await handle.SignalAsync(wf => wf.AddAsync("a"));
                Assert.Equal(1, await handle.QueryAsync(wf => wf.Count));
            });
        }
        using var second = Worker(queue, "build-two");
        var result = await second.ExecuteAsync(async () =>
        {
            await handle.SignalAsync(wf => wf.AddAsync("b"));
            return await handle.GetResultAsync();
        });

        Assert.Equal("a,b", result);
        var history = await handle.FetchHistoryAsync();
        var resetPoints = (await handle.RawInfoAsync()).AutoResetPoints.Points;
        Assert.Equal(["build-one", "build-two"], resetPoints.Select(point => point.BuildId));
        var replay = await new WorkflowReplayer(new WorkflowReplayerOptions().AddWorkflow<SignalWorkflow>()).ReplayWorkflowAsync(history);
        Assert.Null(replay.ReplayFailure);
    }

    private TemporalWorker Worker(string queue, string buildId) =>
        new(server.Client, new TemporalWorkerOptions(queue) { DeploymentOptions = new(new("payments", buildId), false) }.AddWorkflow<SignalWorkflow>());
}
