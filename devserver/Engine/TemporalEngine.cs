using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Storage;

namespace Payments.DevServer.Engine;

/// <summary>
/// The server's state machine: namespaces and their workflow runs, and one part per concern (see devserver/README.md).
/// Every change of a workflow's runs happens in <see cref="Mutate{T}"/>, under that workflow's lock (never across an
/// await); work that touches another workflow (children, external signals, parent notifications) runs after the lock
/// is released, as the mutation's effects.
/// </summary>
internal sealed class TemporalEngine : IDisposable
{
    /// <summary>Long polls are answered empty after this, well under the SDK's 70 s deadline.</summary>
    public static readonly TimeSpan PollHold = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<string, NamespaceState> _namespaces = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    public TemporalEngine(bool timeSkipping, IEngineStore? store, DynamicConfig config, ILogger logger)
    {
        _logger = logger;
        Store = store;
        HistoryLimits = new HistoryLimits(config, logger);
        Blobs = new BlobLimits(config, logger);
        PendingLimits = new PendingLimits(config, logger);
        Workers = new WorkerInstances(_stopping.Token);
        Clock = new EngineClock(timeSkipping, error => logger.LogError(error, "Timer callback failed"));
        Events = new HistoryEvents(Clock);
        History = new HistoryWriter(this);
        Lifecycle = new RunLifecycle(this);
        Cron = new CronRuns(this);
        WorkflowTasks = new WorkflowTasks(this);
        Commands = new WorkflowCommands(this);
        Timers = new WorkflowTimers(this);
        Activities = new ActivityTasks(this);
        ActivityControls = new ActivityControls(this);
        StandaloneActivities = new StandaloneActivities(this);
        Children = new ChildWorkflows(this);
        Signals = new Signals(this);
        Updates = new WorkflowUpdates(this);
        Queries = new WorkflowQueries(this);
        Reader = new HistoryReader(this);
        Resets = new WorkflowResets(this);
        UpdateWithStart = new UpdateWithStart(this);
    }

    public EngineClock Clock { get; }

    public TaskQueueRegistry Queues { get; } = new();

    public WorkerInstances Workers { get; }

    public IEngineStore? Store { get; }

    public HistoryLimits HistoryLimits { get; }

    public BlobLimits Blobs { get; }

    public PendingLimits PendingLimits { get; }

    public HistoryEvents Events { get; }

    public HistoryWriter History { get; }

    public RunLifecycle Lifecycle { get; }

    public CronRuns Cron { get; }

    public WorkflowTasks WorkflowTasks { get; }

    public WorkflowCommands Commands { get; }

    public WorkflowTimers Timers { get; }

    public ActivityTasks Activities { get; }

    public ActivityControls ActivityControls { get; }

    public StandaloneActivities StandaloneActivities { get; }

    public ChildWorkflows Children { get; }

    public Signals Signals { get; }

    public WorkflowUpdates Updates { get; }

    public WorkflowQueries Queries { get; }

    public HistoryReader Reader { get; }

    public WorkflowResets Resets { get; }

    public UpdateWithStart UpdateWithStart { get; }

    public IEnumerable<NamespaceState> Namespaces => _namespaces.Values;

    public NamespaceState AddNamespace(string name, string? id = null) => _namespaces.GetOrAdd(name, added => new NamespaceState(added, id));

    public NamespaceState GetNamespace(string name) =>
        _namespaces.TryGetValue(name ?? "", out var ns) ? ns : throw TemporalErrors.NamespaceNotFound(name ?? "");

    public NamespaceState? FindNamespace(string name) => _namespaces.GetValueOrDefault(name);

    public NamespaceState? FindNamespaceById(string id) => _namespaces.Values.FirstOrDefault(ns => ns.Id == id);

    /// <summary>Cancelled when the server stops: long polls answer at once instead of holding the shutdown.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Stop() => _stopping.Cancel();

    public void Dispose()
    {
        Clock.Dispose();
        _stopping.Dispose();
    }

    public static WorkflowChain GetChain(NamespaceState ns, string workflowId) =>
        ns.Chains.TryGetValue(workflowId ?? "", out var chain) ? chain : throw TemporalErrors.WorkflowNotFound(workflowId ?? "", null);

    /// <summary>The named run (or the current one when no run id is given); NotFound otherwise. Call under the chain's lock.</summary>
    public static Execution GetRun(WorkflowChain chain, string? runId) =>
        chain.Find(runId) ?? throw TemporalErrors.WorkflowNotFound(chain.WorkflowId, runId);

    /// <summary>Applies <paramref name="change"/> to the named run, which must still be open (AlreadyCompleted otherwise), once durable.</summary>
    public async Task MutateOpenRunAsync(string nsName, Temporalio.Api.Common.V1.WorkflowExecution? execution, Action<Execution, Mutation> change)
    {
        var chain = GetChain(GetNamespace(nsName), execution?.WorkflowId ?? "");
        await MutateAsync(chain, mutation =>
        {
            var run = GetRun(chain, execution!.RunId);
            if (!run.IsRunning)
            {
                throw TemporalErrors.AlreadyCompleted();
            }
            change(run, mutation);
            return true;
        });
    }

    /// <summary>Runs <paramref name="change"/> under the chain's lock, then its effects, then waits until the change is durable.</summary>
    public async Task<T> MutateAsync<T>(WorkflowChain chain, Func<Mutation, T> change)
    {
        var (result, durable) = MutateCore(chain, change);
        await durable;
        return result;
    }

    /// <summary>The same, for callers that cannot wait (timers, task dispatch): durability follows asynchronously.</summary>
    public T Mutate<T>(WorkflowChain chain, Func<Mutation, T> change)
    {
        var (result, durable) = MutateCore(chain, change);
        _ = durable.ContinueWith(failed => _logger.LogError(failed.Exception, "Persisting state failed"), TaskContinuationOptions.OnlyOnFaulted);
        return result;
    }

    public void Mutate(WorkflowChain chain, Action<Mutation> change) => Mutate(chain, mutation =>
    {
        change(mutation);
        return true;
    });

    private (T Result, Task Durable) MutateCore<T>(WorkflowChain chain, Func<Mutation, T> change)
    {
        // Virtual time stands still while a change is applied, so a task released and its successor queued are one step.
        Clock.Lock();
        try
        {
            return ApplyMutation(chain, change, new Mutation());
        }
        finally
        {
            Clock.Unlock();
        }
    }

    private (T Result, Task Durable) ApplyMutation<T>(WorkflowChain chain, Func<Mutation, T> change, Mutation mutation)
    {
        T result;
        Task durable;
        lock (chain)
        {
            try
            {
                result = change(mutation);
            }
            finally
            {
                durable = Store is null || mutation.Touched.Count == 0 ? Task.CompletedTask : Store.WriteAsync(mutation.Touched.Select(RunSnapshot.Capture).ToList());
            }
        }
        foreach (var effect in mutation.Effects)
        {
            try
            {
                effect();
            }
            catch (Exception error)
            {
                _logger.LogError(error, "Follow-up work of workflow {WorkflowId} failed", chain.WorkflowId);
            }
        }
        return (result, durable);
    }

    /// <summary>After a restore: re-arms a run's timers, queues its pending tasks and resumes cross-workflow work.</summary>
    public void Reactivate(Execution run)
    {
        run.Namespace.Visibility.Upsert(HistoryReader.DescribeInfo(run));
        if (!run.IsRunning)
        {
            return;
        }
        Lifecycle.ArmRunTimeout(run);
        foreach (var timer in run.Timers.Values)
        {
            Timers.Arm(run, timer);
        }
        foreach (var activity in run.Activities.Values)
        {
            Activities.Arm(run, activity);
        }
        WorkflowTasks.Reactivate(run);
        foreach (var child in run.Children.Values.Where(child => child.RunId is null).ToList())
        {
            Task.Run(() => Children.Start(run, child.InitiatedEventId, child.Attributes));
        }
        foreach (var request in run.ExternalRequests.Values.ToList())
        {
            Task.Run(() => Signals.DeliverExternal(run, request));
        }
    }

    /// <summary>Writes a namespace's registered search attributes (durable mode).</summary>
    public Task PersistNamespaceAsync(NamespaceState ns) =>
        Store?.WriteNamespaceAsync(ns.Name, ns.Id, ns.SearchAttributes.Custom.ToDictionary()) ?? Task.CompletedTask;
}
