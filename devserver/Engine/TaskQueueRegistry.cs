using System.Collections.Concurrent;
using System.Threading.Channels;
using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Engine;

/// <summary>Matching: one queue per (namespace, task queue name, task type), with long polls.</summary>
internal sealed class TaskQueueRegistry
{
    private readonly ConcurrentDictionary<(string Namespace, string Name, TaskQueueType Type), MatchingQueue> _queues = new();

    public MatchingQueue Get(string ns, string name, TaskQueueType type) =>
        _queues.GetOrAdd((ns, name, type), _ => new MatchingQueue());

    public MatchingQueue? Find(string ns, string name, TaskQueueType type) =>
        _queues.TryGetValue((ns, name, type), out var queue) ? queue : null;
}

/// <summary>A FIFO of task references plus the pollers that recently asked for them.</summary>
internal sealed class MatchingQueue
{
    private readonly Channel<object> _tasks = Channel.CreateUnbounded<object>();
    private readonly ConcurrentDictionary<string, DateTime> _pollers = new();

    public void Add(object task) => _tasks.Writer.TryWrite(task);

    public IReadOnlyDictionary<string, DateTime> Pollers => _pollers;

    /// <summary>Forgets the pollers (their worker shut down) and hands back the tasks still waiting here.</summary>
    public List<object> Drain()
    {
        _pollers.Clear();
        var drained = new List<object>();
        while (_tasks.Reader.TryRead(out var task))
        {
            drained.Add(task);
        }
        return drained;
    }

    /// <summary>True when some poller asked within <paramref name="window"/> (real time), or is asking now.</summary>
    public bool HasRecentPoller(TimeSpan window) => _pollers.Values.Any(last => DateTime.UtcNow - last < window);

    /// <summary>
    /// Waits up to <paramref name="hold"/> (or until <paramref name="release"/>, the server stopping) for a task that
    /// <paramref name="tryStart"/> accepts; stale ones are dropped. Null means: answer the poll empty.
    /// </summary>
    public async Task<T?> PollAsync<T>(string identity, TimeSpan hold, Func<object, T?> tryStart, CancellationToken release, CancellationToken cancellationToken)
        where T : class
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, release);
        timeout.CancelAfter(hold);
        _pollers[identity] = DateTime.MaxValue;
        try
        {
            while (true)
            {
                object task;
                try
                {
                    task = await _tasks.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return null;
                }
                var started = tryStart(task);
                if (started is not null)
                {
                    return started;
                }
            }
        }
        finally
        {
            // A poll the worker cancels, or one completed by its shutdown, means it is leaving: it no longer counts as a live poller.
            if (cancellationToken.IsCancellationRequested || release.IsCancellationRequested)
            {
                _pollers.TryRemove(identity, out _);
            }
            else
            {
                _pollers[identity] = DateTime.UtcNow;
            }
        }
    }
}
