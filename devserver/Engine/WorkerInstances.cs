using System.Collections.Concurrent;

namespace Payments.DevServer.Engine;

/// <summary>
/// Workers by the instance key they poll with: ShutdownWorker with that key completes the worker's outstanding polls
/// (empty answers), as Temporal does when a namespace advertises <c>worker_poll_complete_on_shutdown</c>.
/// </summary>
internal sealed class WorkerInstances(CancellationToken serverStopping)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _shutdowns = new(StringComparer.Ordinal);

    /// <summary>Cancelled when the server stops or the worker with this key shuts down (at once if it already did).</summary>
    public CancellationToken PollRelease(string workerInstanceKey) =>
        string.IsNullOrEmpty(workerInstanceKey)
            ? serverStopping
            : _shutdowns.GetOrAdd(workerInstanceKey, _ => CancellationTokenSource.CreateLinkedTokenSource(serverStopping)).Token;

    public void ShutDown(string workerInstanceKey)
    {
        if (!string.IsNullOrEmpty(workerInstanceKey))
        {
            _shutdowns.GetOrAdd(workerInstanceKey, _ => CancellationTokenSource.CreateLinkedTokenSource(serverStopping)).Cancel();
        }
    }
}
