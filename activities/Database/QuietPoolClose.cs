using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Payments.Activities.Database;

/// <summary>
/// Closes the host's idle connections once no command has run on its data source through a whole Connection Idle
/// Lifetime. Npgsql 10's own pruning is not enough on a quiet host: each connection it closes leaves a marker in the
/// pool's idle queue, its pruning pass stops at the first marker and a pass (one per idle lifetime) removes only one, so
/// connections returned behind markers — a burst's tail, after the pool closed some of it — stayed idle for minutes
/// (<c>IdleConnections_Specs</c>). Any command clears the markers ahead of it, so a busy host needs nothing of this.
/// </summary>
internal sealed partial class QuietPoolClose(NpgsqlDataSource dataSource, TimeProvider time, ILogger<QuietPoolClose> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var idleLifetime = TimeSpan.FromSeconds(settings.ConnectionIdleLifetime);
        using var commands = new PoolCommands(settings.ApplicationName);
        using var timer = new PeriodicTimer(idleLifetime, time);
        var lastLook = commands.Completed;
        var closedSince = true;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var completed = commands.Completed;
            if (completed != lastLook)
            {
                lastLook = completed;
                closedSince = false;
            }
            else if (!closedSince)
            {
                dataSource.Clear();
                closedSince = true;
                LogClosed(idleLifetime.TotalSeconds);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "No database command for {Seconds} s: the pool's idle connections closed")]
    private partial void LogClosed(double seconds);

    /// <summary>Counts the commands Npgsql reports completed on the pool named <c>poolName</c> (its metric <c>db.client.operation.duration</c>).</summary>
    private sealed class PoolCommands : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _completed;

        public PoolCommands(string? poolName)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Name: "db.client.operation.duration", Meter.Name: "Npgsql" })
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "db.client.connection.pool.name" } && Equals(tag.Value, poolName))
                    {
                        Interlocked.Increment(ref _completed);
                    }
                }
            });
            _listener.Start();
        }

        public long Completed => Interlocked.Read(ref _completed);

        public void Dispose() => _listener.Dispose();
    }
}
