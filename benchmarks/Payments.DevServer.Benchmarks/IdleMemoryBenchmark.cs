using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.DevServer.Benchmarks;

/// <summary>
/// Memory per idle workflow: start <c>count</c> workflows that each wait on a day-long timer, let a worker take every
/// first task (so the server holds a started timer), stop the worker, and compare the process before and after.
/// </summary>
internal sealed class IdleMemoryBenchmark(ITemporalClient client, ILoggerFactory loggerFactory)
{
    private const int StartConcurrency = 100;
    private const int SampledHistories = 20;

    /// <summary>Give up when the worker has taken no new first task for this long.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromMinutes(1);

    public async Task<IdleMemoryFigures> RunAsync(int count, ProgressTask starting, ProgressTask taken)
    {
        var taskQueue = $"idle-{Guid.NewGuid():N}";
        var runId = taskQueue[5..13];
        var failures = new FailureLog();
        var before = MemorySnapshot.Take();
        var clock = Stopwatch.StartNew();
        var timersBefore = IdleTimerWorkflow.TimersStarted;
        TimeSpan allStarted;
        await using (BenchmarkWorker.Start(client, taskQueue, loggerFactory))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency }, async (i, _) =>
            {
                try
                {
                    await client.StartWorkflowAsync((IdleTimerWorkflow wf) => wf.RunAsync(), new WorkflowOptions($"{runId}-{i}", taskQueue));
                }
                catch (TemporalException e)
                {
                    failures.Add(e);
                }
                starting.Increment(1);
                taken.Value = IdleTimerWorkflow.TimersStarted - timersBefore;
            });
            allStarted = clock.Elapsed;
            await WaitForFirstTasksAsync(count - failures.Count, timersBefore, taken);
        }
        var allTaken = clock.Elapsed;
        var missingTimers = await CountMissingTimersAsync(runId, count);
        var after = MemorySnapshot.Take();
        return new IdleMemoryFigures(count, before, after, allStarted, allTaken, missingTimers, failures);
    }

    private static async Task WaitForFirstTasksAsync(int expected, int timersBefore, ProgressTask taken)
    {
        var lastSeen = -1;
        var lastProgress = Stopwatch.StartNew();
        while (true)
        {
            var seen = IdleTimerWorkflow.TimersStarted - timersBefore;
            taken.Value = seen;
            if (seen >= expected)
            {
                return;
            }
            if (seen != lastSeen)
            {
                lastSeen = seen;
                lastProgress.Restart();
            }
            else if (lastProgress.Elapsed > StallLimit)
            {
                throw new TimeoutException($"The worker took {seen} of {expected} first workflow tasks, then nothing for {StallLimit}.");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Reads a spread sample of histories: each must hold a started timer, or the figure would flatter the server.</summary>
    private async Task<int> CountMissingTimersAsync(string runId, int count)
    {
        var missing = 0;
        foreach (var i in Enumerable.Range(0, SampledHistories).Select(k => k * count / SampledHistories).Distinct())
        {
            var history = await client.GetWorkflowHandle($"{runId}-{i}").FetchHistoryAsync();
            if (!history.Events.Any(e => e.EventType == EventType.TimerStarted))
            {
                missing++;
            }
        }
        return missing;
    }
}

internal sealed record IdleMemoryFigures(
    int Count, MemorySnapshot Before, MemorySnapshot After, TimeSpan AllStarted, TimeSpan AllTaken, int MissingTimersInSample, FailureLog Failures)
{
    public double ManagedBytesPerWorkflow => (double)(After.ManagedBytes - Before.ManagedBytes) / Count;

    public double WorkingSetBytesPerWorkflow => (double)(After.WorkingSetBytes - Before.WorkingSetBytes) / Count;
}

/// <summary>The process's managed heap and working set after a full, compacting, decommitting collection.</summary>
internal sealed record MemorySnapshot(long ManagedBytes, long WorkingSetBytes)
{
    public static MemorySnapshot Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return new MemorySnapshot(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64);
    }
}
