using WorkflowExecution = Temporalio.Api.Common.V1.WorkflowExecution;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

[Collection(InProcessGroup.Name)]
public class ParentClosePolicy_Specs(InProcessServerFixture server)
{
    private async Task<WorkflowExecutionStatus> ChildStatusAfterParentTerminatedAsync(bool abandon)
    {
        var queue = TestQueues.Unique();
        var childId = Guid.NewGuid().ToString();
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue).AddWorkflow<AbandoningParentWorkflow>().AddWorkflow<WaitForeverWorkflow>());
        return await worker.ExecuteAsync(async () =>
        {
            var parent = await server.Client.StartWorkflowAsync((AbandoningParentWorkflow wf) => wf.RunAsync(childId, abandon), new(Guid.NewGuid().ToString(), queue));
            var child = server.Client.GetWorkflowHandle(childId);
            while (!await ChildStartedAsync(parent.Id))
            {
                await Task.Delay(20);
            }
            // The server applies the parent close policy before it answers the terminate call.
            await parent.TerminateAsync();
            var status = (await child.DescribeAsync()).Status;
            if (status == WorkflowExecutionStatus.Running)
            {
                await child.TerminateAsync();
            }
            return status;
        });
    }

    private async Task<bool> ChildStartedAsync(string parentId)
    {
        var description = await server.Client.WorkflowService.DescribeWorkflowExecutionAsync(new DescribeWorkflowExecutionRequest
        {
            Namespace = server.Client.Options.Namespace,
            Execution = new WorkflowExecution { WorkflowId = parentId },
        });
        return description.PendingChildren.Any(c => c.RunId.Length > 0);
    }

    [Fact]
    public async Task TerminateParent_TerminatePolicy_ChildTerminated() =>
        Assert.Equal(WorkflowExecutionStatus.Terminated, await ChildStatusAfterParentTerminatedAsync(abandon: false));

    [Fact]
    public async Task TerminateParent_AbandonPolicy_ChildKeepsRunning() =>
        Assert.Equal(WorkflowExecutionStatus.Running, await ChildStatusAfterParentTerminatedAsync(abandon: true));
}
