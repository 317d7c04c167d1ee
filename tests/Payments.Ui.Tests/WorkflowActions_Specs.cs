using Payments.Ui.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;

namespace Payments.Ui.Tests;

/// <summary>Stopping a workflow from the UI: terminate and cancel on a workflow of this test project.</summary>
[Collection(SharedUi.Name)]
public sealed class WorkflowActions_Specs(UiFixture fixture)
{
    [Fact]
    public async Task Terminate_FromTheUi_TerminatesTheWorkflowWithTheReason()
    {
        var handle = await StartParkedAsync();
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Terminate_FromTheUi_TerminatesTheWorkflowWithTheReason));
        await ui.OpenWorkflowAsync(fixture, handle.Id);

        await ui.TerminateAsync("stuck in a test");
        var closed = await WaitClosedAsync(handle);
        await ui.Page.ReloadAsync();
        await ui.ExpectStatusAsync("Terminated");
        await ui.ScreenshotAsync("terminated");

        Assert.Equal(WorkflowExecutionStatus.Terminated, closed);
        Assert.Empty(ui.FailedCalls());
    }

    [Fact]
    public async Task RequestCancellation_FromTheUi_CancelsTheWorkflow()
    {
        var handle = await StartParkedAsync();
        await using var ui = await UiSession.OpenAsync(fixture, nameof(RequestCancellation_FromTheUi_CancelsTheWorkflow));
        await ui.OpenWorkflowAsync(fixture, handle.Id);

        await ui.RequestCancellationAsync();
        var closed = await WaitClosedAsync(handle);
        await ui.Page.ReloadAsync();
        await ui.ExpectStatusAsync("Canceled");
        await ui.ScreenshotAsync("canceled");

        Assert.Equal(WorkflowExecutionStatus.Canceled, closed);
        Assert.Empty(ui.FailedCalls());
    }

    private async Task<WorkflowHandle> StartParkedAsync() =>
        await fixture.Temporal.StartWorkflowAsync(
            (ParkedWorkflow wf) => wf.RunAsync(), new($"parked-{Guid.NewGuid():N}", UiFixture.TestTaskQueue));

    private static async Task<WorkflowExecutionStatus> WaitClosedAsync(WorkflowHandle handle)
    {
        try
        {
            await handle.GetResultAsync();
        }
        catch (Temporalio.Exceptions.WorkflowFailedException)
        {
            // Terminated and canceled runs end the result wait with this; their status tells which.
        }
        return (await handle.DescribeAsync()).Status;
    }
}
