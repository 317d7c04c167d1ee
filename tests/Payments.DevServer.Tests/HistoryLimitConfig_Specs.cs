using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>The history limits given as <c>--dynamic-config-value</c> act: continue-as-new suggested, a warning logged, the run terminated.</summary>
public class HistoryLimitConfig_Specs
{
    [Fact]
    public async Task SuggestContinueAsNew_CountConfigured_SuggestedAtThatCount()
    {
        await using var server = await ConfiguredServer.StartAsync("limit.historyCount.suggestContinueAsNew=20");
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<GrowUntilSuggestedWorkflow>());
        var suggestedAt = await worker.ExecuteAsync(() => server.Client.ExecuteWorkflowAsync((GrowUntilSuggestedWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue)));
        // Each turn of the loop adds five events: the suggestion comes with the first workflow task started past 20.
        Assert.InRange(suggestedAt, 20, 25);
    }

    [Fact]
    public async Task HistoryCount_PastWarnThenError_WarningLoggedAndRunTerminated()
    {
        await using var server = await ConfiguredServer.StartAsync("limit.historyCount.warn=15", "limit.historyCount.error=40");
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<GrowUntilSuggestedWorkflow>());
        var error = await worker.ExecuteAsync(() => Assert.ThrowsAsync<WorkflowFailedException>(
            () => server.Client.ExecuteWorkflowAsync((GrowUntilSuggestedWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue))));
        var terminated = Assert.IsType<TerminatedFailureException>(error.InnerException);
        Assert.Equal("Workflow history count exceeds limit.", terminated.Message);
        Assert.Contains(server.Warnings, warning => warning.Contains("nears its history limits", StringComparison.Ordinal));
    }
}
