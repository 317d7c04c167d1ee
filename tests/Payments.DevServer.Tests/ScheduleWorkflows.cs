using Temporalio.Converters;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>Counts its runs through the result the schedule (or cron) hands to the next one.</summary>
[Workflow]
public class CountingWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync()
    {
        var previous = Workflow.Info.LastResult?.FirstOrDefault() is { } last ? Workflow.PayloadConverter.ToValue<int>(last) : 0;
        return Task.FromResult(previous + 1);
    }
}

/// <summary>Tells what failure the previous run left (a schedule or cron hands it on).</summary>
[Workflow]
public class LastFailureWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() => Task.FromResult(Workflow.Info.LastFailure?.Message ?? "none");
}
