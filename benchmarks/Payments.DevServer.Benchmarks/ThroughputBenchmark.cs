using System.Diagnostics;
using Spectre.Console;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.DevServer.Benchmarks;

/// <summary>Runs a workload <c>count</c> times with <c>concurrency</c> workflows in flight; measures the batch and each start-to-result.</summary>
internal sealed class ThroughputBenchmark(ITemporalClient client, string taskQueue)
{
    /// <summary>A stalled workflow fails its own measurement instead of hanging the benchmark.</summary>
    private static readonly TimeSpan WorkflowDeadline = TimeSpan.FromMinutes(2);

    public async Task<ThroughputFigures> RunAsync(Workload workload, int count, int concurrency, ProgressTask progress)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var latencies = new TimeSpan?[count];
        var failures = new FailureLog();
        var cpuBefore = ProcessorTime();
        var batch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
        {
            using var deadline = new CancellationTokenSource(WorkflowDeadline);
            var rpc = new RpcOptions { CancellationToken = deadline.Token };
            var started = Stopwatch.GetTimestamp();
            try
            {
                var handle = await workload.StartAsync(client, i, new WorkflowOptions($"{runId}-{i}", taskQueue) { Rpc = rpc });
                await handle.GetResultAsync<int>(rpcOptions: rpc);
                latencies[i] = Stopwatch.GetElapsedTime(started);
            }
            catch (Exception e) when (e is TemporalException or OperationCanceledException)
            {
                failures.Add(e);
            }
            progress.Increment(1);
        });
        batch.Stop();
        return ThroughputFigures.From(count, concurrency, batch.Elapsed, ProcessorTime() - cpuBefore, [.. latencies.OfType<TimeSpan>()], failures);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}

internal sealed record ThroughputFigures(int Count, int Concurrency, TimeSpan Elapsed, TimeSpan ProcessorTime, TimeSpan P50, TimeSpan P99, FailureLog Failures)
{
    /// <summary>CPU of the whole process (server, client and worker) per workflow: less skewed by other load than rates are.</summary>
    public TimeSpan ProcessorTimePerWorkflow => ProcessorTime / Count;

    /// <summary>Completed workflows per second of the whole batch.</summary>
    public double PerSecond => (Count - Failures.Count) / Elapsed.TotalSeconds;

    public static ThroughputFigures From(int count, int concurrency, TimeSpan elapsed, TimeSpan processorTime, TimeSpan[] latencies, FailureLog failures)
    {
        Array.Sort(latencies);
        return new(count, concurrency, elapsed, processorTime, Percentile(latencies, 0.50), Percentile(latencies, 0.99), failures);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static TimeSpan Percentile(TimeSpan[] sorted, double fraction) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}

/// <summary>One workload measured in both storage modes of the same run; in memory is the baseline.</summary>
internal sealed record ThroughputComparison(Workload Workload, ThroughputFigures InMemory, ThroughputFigures Durable);
