using System.Collections.Concurrent;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Storage;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Workflow.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// The server's state machine: namespaces, workflow runs and their histories, task matching and timers.
/// Every change of a workflow's runs happens under that workflow's lock (never across an await); work that
/// touches another workflow (children, external signals, parent notifications) runs after the lock is released.
/// </summary>
internal sealed partial class TemporalEngine : IDisposable
{
    /// <summary>Long polls are answered empty after this, well under the SDK's 70 s deadline.</summary>
    public static readonly TimeSpan PollHold = TimeSpan.FromSeconds(20);

    /// <summary>A sticky queue nobody polled for this long is treated as gone.</summary>
    private static readonly TimeSpan StickyPollerWindow = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, NamespaceState> _namespaces = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Event task ids, increasing like Temporal's (they start where its first shard's range does).</summary>
    private long _taskIds = 1_048_576;

    public TemporalEngine(bool timeSkipping, IEngineStore? store, ILogger logger)
    {
        _logger = logger;
        Store = store;
        Clock = new EngineClock(timeSkipping, e => logger.LogError(e, "Timer callback failed"));
    }

    public EngineClock Clock { get; }

    public TaskQueueRegistry Queues { get; } = new();

    public IEngineStore? Store { get; }

    public IEnumerable<NamespaceState> Namespaces => _namespaces.Values;

    public NamespaceState AddNamespace(string name, string? id = null) => _namespaces.GetOrAdd(name, n => new NamespaceState(n, id));

    public NamespaceState GetNamespace(string name) =>
        _namespaces.TryGetValue(name ?? "", out var ns) ? ns : throw TemporalErrors.NamespaceNotFound(name ?? "");

    public NamespaceState? FindNamespace(string name) => _namespaces.GetValueOrDefault(name);

    public NamespaceState? FindNamespaceById(string id) => _namespaces.Values.FirstOrDefault(n => n.Id == id);

    /// <summary>Cancelled when the server stops: long polls answer at once instead of holding the shutdown.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Stop() => _stopping.Cancel();

    public void Dispose()
    {
        Clock.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Runs <paramref name="action"/> under the chain's lock, then its effects, then waits until the change is durable.</summary>
    public async Task<T> MutateAsync<T>(WorkflowChain chain, Func<Mutation, T> action)
    {
        var (result, durable) = MutateCore(chain, action);
        await durable;
        return result;
    }

    /// <summary>The same, for callers that cannot wait (timers, task dispatch): durability follows asynchronously.</summary>
    public T Mutate<T>(WorkflowChain chain, Func<Mutation, T> action)
    {
        var (result, durable) = MutateCore(chain, action);
        _ = durable.ContinueWith(t => _logger.LogError(t.Exception, "Persisting state failed"), TaskContinuationOptions.OnlyOnFaulted);
        return result;
    }

    public void Mutate(WorkflowChain chain, Action<Mutation> action) => Mutate(chain, m =>
    {
        action(m);
        return true;
    });

    private (T Result, Task Durable) MutateCore<T>(WorkflowChain chain, Func<Mutation, T> action)
    {
        var mutation = new Mutation();
        T result;
        Task durable;
        // Virtual time stands still while a change is applied, so a task released and its successor queued are one step.
        Clock.Lock();
        try
        {
            (result, durable) = ApplyMutation(chain, action, mutation);
        }
        finally
        {
            Clock.Unlock();
        }
        return (result, durable);
    }

    private (T Result, Task Durable) ApplyMutation<T>(WorkflowChain chain, Func<Mutation, T> action, Mutation mutation)
    {
        T result;
        Task durable;
        lock (chain)
        {
            try
            {
                result = action(mutation);
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
            catch (Exception e)
            {
                _logger.LogError(e, "Follow-up work of workflow {WorkflowId} failed", chain.WorkflowId);
            }
        }
        return (result, durable);
    }

    public static WorkflowChain GetChain(NamespaceState ns, string workflowId) =>
        ns.Chains.TryGetValue(workflowId ?? "", out var chain) ? chain : throw TemporalErrors.WorkflowNotFound(workflowId ?? "", null);

    /// <summary>The named run (or the current one when no run id is given); NotFound otherwise. Call under the chain's lock.</summary>
    public static Execution GetRun(WorkflowChain chain, string? runId) =>
        chain.Find(runId) ?? throw TemporalErrors.WorkflowNotFound(chain.WorkflowId, runId);

    public HistoryEvent NewEvent(EventType type) => new()
    {
        EventType = type,
        EventTime = Timestamp.FromDateTime(Clock.UtcNow),
        TaskId = Interlocked.Increment(ref _taskIds),
    };

    /// <summary>Appends an event to the history and applies it to the mutable state.</summary>
    public static long Append(Execution x, HistoryEvent e, Mutation m)
    {
        e.EventId = x.NextEventId;
        x.History.Add(e);
        x.HistorySizeBytes += e.CalculateSize();
        x.Apply(e);
        m.Touch(x);
        x.NotifyChanged();
        return e.EventId;
    }

    /// <summary>
    /// Adds an event that did not come from the workflow's own task (signal, activity result, timer…): buffered while a
    /// workflow task is in flight, otherwise appended; then a workflow task is scheduled if none is pending.
    /// Returns the event's id (a negative placeholder while buffered).
    /// </summary>
    public long AddExternal(Execution x, HistoryEvent e, Mutation m, bool scheduleTask = true)
    {
        long id;
        if (x.WorkflowTask is { IsStarted: true })
        {
            e.EventId = x.NextPlaceholderId();
            x.Buffered.Add(e);
            x.Apply(e);
            m.Touch(x);
            id = e.EventId;
        }
        else
        {
            id = Append(x, e, m);
        }
        if (scheduleTask && x.IsRunning && x.WorkflowTask is null && x.StartBackoffTimer is null)
        {
            ScheduleWorkflowTask(x, m);
        }
        return id;
    }

    /// <summary>Moves the events buffered during a workflow task into the history; true when there were any.</summary>
    public static bool FlushBuffered(Execution x, Mutation m)
    {
        if (x.Buffered.Count == 0)
        {
            return false;
        }
        var realIds = new Dictionary<long, long>();
        foreach (var e in x.Buffered)
        {
            realIds[e.EventId] = x.NextEventId;
            e.EventId = x.NextEventId;
            x.ResolvePlaceholders(e, realIds);
            x.History.Add(e);
            x.HistorySizeBytes += e.CalculateSize();
        }
        x.Buffered.Clear();
        m.Touch(x);
        x.NotifyChanged();
        return true;
    }

    public void ScheduleWorkflowTask(Execution x, Mutation m)
    {
        var normal = x.Started.TaskQueue.Name;
        if (x.StickyQueue is { } sticky && !(Queues.Find(x.Namespace.Name, sticky, TaskQueueType.Workflow)?.HasRecentPoller(StickyPollerWindow) ?? false))
        {
            x.StickyQueue = null;
        }
        var e = NewEvent(EventType.WorkflowTaskScheduled);
        e.WorkflowTaskScheduledEventAttributes = new WorkflowTaskScheduledEventAttributes
        {
            TaskQueue = x.StickyQueue is null
                ? new TaskQueue { Name = normal, Kind = TaskQueueKind.Normal }
                : new TaskQueue { Name = x.StickyQueue, Kind = TaskQueueKind.Sticky, NormalName = normal },
            StartToCloseTimeout = x.Started.WorkflowTaskTimeout,
            Attempt = x.NextWorkflowTaskAttempt,
        };
        Append(x, e, m);
        ArmWorkflowTask(x);
    }

    /// <summary>Puts a scheduled workflow task on its queue, or times a started one (used live and on restore).</summary>
    public void ArmWorkflowTask(Execution x)
    {
        var task = x.WorkflowTask!;
        task.Hold(Clock);
        task.Timeout?.Cancel();
        var type = task.IsStarted ? TimeoutType.StartToClose : TimeoutType.ScheduleToStart;
        if (!task.IsStarted)
        {
            Queues.Get(x.Namespace.Name, task.Queue, TaskQueueType.Workflow).Add(new WorkflowTaskRef(x, task.ScheduledEventId, task.Attempt));
            if (!task.Sticky)
            {
                return;
            }
        }
        var due = task.IsStarted ? task.StartedTime + task.StartToClose : task.ScheduledTime + x.StickyScheduleToStart;
        task.Timeout = Clock.Schedule(due, () => Mutate(x.Chain, m => OnWorkflowTaskTimeout(x, task, type, m)));
    }

    private void OnWorkflowTaskTimeout(Execution x, WorkflowTaskInfo task, TimeoutType type, Mutation m)
    {
        if (!x.IsRunning || x.WorkflowTask != task || task.IsStarted != (type == TimeoutType.StartToClose))
        {
            return;
        }
        var e = NewEvent(EventType.WorkflowTaskTimedOut);
        e.WorkflowTaskTimedOutEventAttributes = new WorkflowTaskTimedOutEventAttributes
        {
            ScheduledEventId = task.ScheduledEventId,
            StartedEventId = task.StartedEventId,
            TimeoutType = type,
        };
        Append(x, e, m);
        FlushBuffered(x, m);
        ScheduleWorkflowTask(x, m);
    }

    /// <summary>Closes a run with its close event: pending work stops, the parent hears of it, children follow their policy.</summary>
    public void CloseRun(Execution x, HistoryEvent closeEvent, Mutation m)
    {
        FlushBuffered(x, m);
        var children = x.Children.Values.ToList();
        Append(x, closeEvent, m);
        var cronGoesOn = ContinueCron(x, closeEvent, m);
        ReleaseParkedQueries(x);
        x.Namespace.Visibility.Upsert(DescribeInfo(x));
        // A parent hears of its child once the chain ends: not when it continues as new, retries or runs its next cron.
        var chainGoesOn = cronGoesOn || x.Status == WorkflowExecutionStatus.ContinuedAsNew || closeEvent.WorkflowExecutionFailedEventAttributes?.RetryState == RetryState.InProgress
            || closeEvent.WorkflowExecutionTimedOutEventAttributes?.RetryState == RetryState.InProgress;
        if (!chainGoesOn)
        {
            NotifyChainClosed(x, closeEvent, m);
        }
        if (!chainGoesOn && x.Started.ParentWorkflowExecution is { } parent)
        {
            var notice = ChildClosedEvent(x, closeEvent);
            var parentNamespace = x.Started.ParentWorkflowNamespace;
            m.After(() => DeliverToParent(parentNamespace, parent, notice));
        }
        foreach (var child in children)
        {
            var policy = child.Attributes.ParentClosePolicy;
            var target = (child.Attributes.Namespace, child.Attributes.WorkflowId, child.RunId);
            if (policy == ParentClosePolicy.RequestCancel)
            {
                m.After(() => TryRequestCancel(target.Namespace, target.WorkflowId, target.RunId, "by parent close policy"));
            }
            else if (policy is ParentClosePolicy.Terminate or ParentClosePolicy.Unspecified)
            {
                m.After(() => TryTerminate(target.Namespace, target.WorkflowId, target.RunId, "by parent close policy"));
            }
        }
    }

    public void ArmRunTimeout(Execution x)
    {
        var runTimeout = x.Started.WorkflowRunTimeout.ToTimeSpanOrZero();
        var deadline = runTimeout > TimeSpan.Zero ? x.StartTime + runTimeout : DateTime.MaxValue;
        if (x.ExecutionDeadline < deadline)
        {
            deadline = x.ExecutionDeadline;
        }
        if (deadline == DateTime.MaxValue)
        {
            return;
        }
        x.RunTimeoutTimer = Clock.Schedule(deadline, () => Mutate(x.Chain, m => TimeOutRun(x, m)));
    }

    public static WorkflowExecutionInfo DescribeInfo(Execution x)
    {
        var info = new WorkflowExecutionInfo
        {
            Execution = new WorkflowExecution { WorkflowId = x.WorkflowId, RunId = x.RunId },
            Type = x.Started.WorkflowType,
            StartTime = Timestamp.FromDateTime(x.StartTime),
            ExecutionTime = Timestamp.FromDateTime(x.StartTime + x.Started.FirstWorkflowTaskBackoff.ToTimeSpanOrZero()),
            Status = x.Status,
            HistoryLength = x.History.Count,
            Memo = x.Memo.Clone(),
            SearchAttributes = x.SearchAttributes.Clone(),
            TaskQueue = x.Started.TaskQueue.Name,
            FirstRunId = x.Started.FirstExecutionRunId,
            StateTransitionCount = x.History.Count,
            HistorySizeBytes = x.HistorySizeBytes,
            RootExecution = x.Started.RootWorkflowExecution ?? new WorkflowExecution { WorkflowId = x.WorkflowId, RunId = x.RunId },
        };
        if (x.Started.ParentWorkflowExecution is { } parent)
        {
            info.ParentExecution = parent;
            info.ParentNamespaceId = x.Started.ParentWorkflowNamespaceId;
        }
        if (x.CloseTime is { } closed)
        {
            info.CloseTime = Timestamp.FromDateTime(closed);
            info.ExecutionDuration = Duration.FromTimeSpan(closed - info.ExecutionTime.ToDateTime());
        }
        return info;
    }
}

/// <summary>A workflow task waiting on a queue; stale once the run moved on.</summary>
internal sealed record WorkflowTaskRef(Execution Execution, long ScheduledEventId, int Attempt);

/// <summary>An activity attempt waiting on a queue; stale once the attempt ended.</summary>
internal sealed record ActivityTaskRef(Execution Execution, long ScheduledEventId, int Attempt);

internal sealed partial class TemporalEngine
{
    /// <summary>After a restore: re-arms a run's timers, queues its pending tasks and resumes cross-workflow work.</summary>
    public void Reactivate(Execution x)
    {
        x.Namespace.Visibility.Upsert(DescribeInfo(x));
        if (!x.IsRunning)
        {
            return;
        }
        ArmRunTimeout(x);
        foreach (var timer in x.Timers.Values)
        {
            ArmTimer(x, timer);
        }
        foreach (var activity in x.Activities.Values)
        {
            ArmActivity(x, activity);
        }
        // Sticky queues die with the process that polled them: later tasks go to the normal queue.
        x.StickyQueue = null;
        if (x.WorkflowTask is { IsStarted: false, Sticky: true } stuck)
        {
            Mutate(x.Chain, m => OnWorkflowTaskTimeout(x, stuck, TimeoutType.ScheduleToStart, m));
        }
        else if (x.WorkflowTask is not null)
        {
            ArmWorkflowTask(x);
        }
        else if (!x.History.Any(e => e.EventType == EventType.WorkflowTaskScheduled))
        {
            Mutate(x.Chain, m => ArmFirstWorkflowTask(x, m));
        }
        foreach (var child in x.Children.Values.Where(c => c.RunId is null).ToList())
        {
            Task.Run(() => StartChild(x, child.InitiatedEventId, child.Attributes));
        }
        foreach (var request in x.ExternalRequests.Values.ToList())
        {
            Task.Run(() => DeliverExternal(x, request));
        }
    }
}
