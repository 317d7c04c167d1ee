namespace Payments.DevServer.Engine;

/// <summary>All runs of one workflow id. Its monitor is the per-workflow lock every mutation of these runs takes.</summary>
internal sealed class WorkflowChain(NamespaceState ns, string workflowId)
{
    public NamespaceState Namespace { get; } = ns;

    public string WorkflowId { get; } = workflowId;

    public List<Execution> Runs { get; } = [];

    /// <summary>Request ids of accepted start calls, for deduplication, with the run each one started.</summary>
    public Dictionary<string, string> StartRequestIds { get; } = new(StringComparer.Ordinal);

    public Execution? Current => Runs.Count == 0 ? null : Runs[^1];

    public Execution? Find(string? runId) =>
        string.IsNullOrEmpty(runId) ? Current : Runs.Find(run => run.RunId == runId);
}
