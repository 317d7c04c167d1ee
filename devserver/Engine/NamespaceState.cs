using System.Collections.Concurrent;
using Payments.DevServer.Visibility;

namespace Payments.DevServer.Engine;

/// <summary>One Temporal namespace: its workflows, search attributes and visibility.</summary>
internal sealed class NamespaceState
{
    public NamespaceState(string name, string? id = null)
    {
        Name = name;
        Id = id ?? Guid.NewGuid().ToString();
        SearchAttributes = new SearchAttributeRegistry(name);
        Visibility = new VisibilityStore(SearchAttributes);
    }

    public string Name { get; }

    public string Id { get; }

    public SearchAttributeRegistry SearchAttributes { get; }

    public VisibilityStore Visibility { get; }

    public ConcurrentDictionary<string, WorkflowChain> Chains { get; } = new(StringComparer.Ordinal);

    public WorkflowChain GetOrAddChain(string workflowId) => Chains.GetOrAdd(workflowId, id => new WorkflowChain(this, id));
}

/// <summary>What one locked mutation produced: runs to persist and work to do once the lock is released.</summary>
internal sealed class Mutation
{
    private readonly HashSet<Execution> _touched = [];

    /// <summary>Changed runs in the order they were first changed (a continued run before its successor).</summary>
    public List<Execution> Touched { get; } = [];

    public List<Action> Effects { get; } = [];

    public void Touch(Execution execution)
    {
        if (_touched.Add(execution))
        {
            Touched.Add(execution);
        }
    }

    public void After(Action effect) => Effects.Add(effect);
}
