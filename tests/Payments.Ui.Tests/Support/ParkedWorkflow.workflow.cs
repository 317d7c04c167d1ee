using Temporalio.Workflows;

namespace Payments.Ui.Tests.Support;

/// <summary>Waits until it is stopped from outside: what the UI's terminate and cancel act on.</summary>
[Workflow]
public class ParkedWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.WaitConditionAsync(() => false);
}
