using Microsoft.Extensions.Logging;

namespace Payments.PgCluster;

/// <summary>
/// Keeps a cluster running as a service manager would: when its postmaster dies (killed, crashed), starts it again
/// on the same port, retrying until it is back. Disposing stops the watch, never the cluster.
/// </summary>
public sealed class PostgresSupervisor : IAsyncDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private readonly PostgresCluster _cluster;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _watch;

    private PostgresSupervisor(PostgresCluster cluster, ILogger logger)
    {
        _cluster = cluster;
        _logger = logger;
        _watch = Task.Run(() => WatchAsync(_stopping.Token));
    }

    /// <summary>How many times the cluster was found dead and started again.</summary>
    public int Restarts { get; private set; }

    public static PostgresSupervisor Watch(PostgresCluster cluster, ILogger logger) => new(cluster, logger);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _watch;
        }
        catch (OperationCanceledException)
        {
            // Stopped while restarting: the cluster's own disposal follows.
        }
        _stopping.Dispose();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CheckInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            if (_cluster.IsRunning())
            {
                continue;
            }
            _logger.LogWarning("PostgreSQL on port {Port} is not running: restarting it", _cluster.Port);
            while (!await TryRestartAsync(cancellationToken))
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }
            Restarts++;
        }
    }

    private async Task<bool> TryRestartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _cluster.RestartAsync(cancellationToken);
            return true;
        }
        catch (CommandFailedException e)
        {
            // Typically the dead postmaster's backends still hold its shared memory, or its port is briefly taken.
            _logger.LogWarning("PostgreSQL on port {Port} did not restart yet: {Reason}", _cluster.Port, e.Message);
            return false;
        }
    }
}
