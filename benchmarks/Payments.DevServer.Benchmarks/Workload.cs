using Temporalio.Client;

namespace Payments.DevServer.Benchmarks;

/// <summary>A kind of workflow the throughput benchmark runs, and how the client starts one.</summary>
internal sealed record Workload(string Name, Func<ITemporalClient, int, WorkflowOptions, Task<WorkflowHandle>> StartAsync)
{
    public static readonly Workload Trivial = new(
        "Trivial workflow",
        async (client, input, options) => await client.StartWorkflowAsync((TrivialWorkflow wf) => wf.RunAsync(input), options));

    public static readonly Workload ThreeActivities = new(
        "3-activity workflow",
        async (client, input, options) => await client.StartWorkflowAsync((ThreeActivitiesWorkflow wf) => wf.RunAsync(input), options));
}
