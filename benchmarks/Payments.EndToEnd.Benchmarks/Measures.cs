using System.Diagnostics;
using Npgsql;

namespace Payments.EndToEnd.Benchmarks;

internal static class Measures
{
    /// <summary>Runs <paramref name="work"/> for each item with <paramref name="concurrency"/> in flight; each item's duration.</summary>
    public static async Task<TimeSpan[]> ClosedLoopAsync<T>(IReadOnlyList<T> items, int concurrency, Func<T, int, Task> work, Action onDone, CancellationToken cancellationToken)
    {
        var durations = new TimeSpan[items.Count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < items.Count)
            {
                var started = Stopwatch.GetTimestamp();
                await work(items[index], index);
                durations[index] = Stopwatch.GetElapsedTime(started);
                onDone();
            }
        }, cancellationToken)));
        return durations;
    }

    /// <summary>Starts <paramref name="work"/> for item i at i / rate seconds, whether or not earlier ones have finished (open loop).</summary>
    public static async Task OpenLoopAsync<T>(IReadOnlyList<T> items, double perSecond, Func<T, int, Task> work, Action onDone, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var running = new List<Task>(items.Count);
        for (var index = 0; index < items.Count; index++)
        {
            var due = TimeSpan.FromSeconds(index / perSecond) - started.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
            var item = items[index];
            var itemIndex = index;
            running.Add(Task.Run(async () =>
            {
                await work(item, itemIndex);
                onDone();
            }, cancellationToken));
        }
        await Task.WhenAll(running);
    }

    /// <summary>
    /// Transactions committed or rolled back in the database so far. Backends report theirs at most every second and
    /// idle ones within 10 s, so a reading is taken after the load has been quiet that long.
    /// </summary>
    public static async Task<long> TransactionsAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(11), cancellationToken);
        await using var command = database.CreateCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Backends PostgreSQL has started for this database so far: each is a physical connection a pool opened.</summary>
    public static async Task<long> SessionsAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand("SELECT sessions FROM pg_stat_database WHERE datname = current_database()");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static string LoadAverage()
    {
        var fields = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"{fields[0]}, {fields[1]}, {fields[2]}";
    }
}
