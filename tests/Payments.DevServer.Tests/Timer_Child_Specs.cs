using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class Timer_Child_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task Timer_ShortDelay_FiresAfterDelay()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<TimerWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((TimerWorkflow wf) => wf.RunAsync(TimeSpan.FromMilliseconds(200)), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("fired", result);
    }

    [Fact]
    public async Task CancelTimer_BeforeFiring_WorkflowSeesCancellation()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<CancelTimerWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((CancelTimerWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("cancelled", result);
    }

    [Fact]
    public async Task ChildWorkflows_CompletedAndFailed_ParentSeesBoth()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<ParentWorkflow>().AddWorkflow<HelloWorkflow>().AddWorkflow<FailingWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((ParentWorkflow wf) => wf.RunAsync("child"), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("Hello, child! + child failure seen", result);
    }

    [Fact]
    public async Task CancelChild_FromParent_ParentSeesCancelledChild()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<CancelChildWorkflow>().AddWorkflow<WaitForeverWorkflow>());
        var result = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((CancelChildWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue)));
        Assert.Equal("child cancelled", result);
    }
}
