using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Payments.DevServer.Benchmarks;

/// <summary>The whole run: throughput in memory, then durable (the ratio's numerator), then idle memory; prints Markdown.</summary>
internal static class BenchmarkRun
{
    private static readonly Workload[] Workloads = [Workload.Trivial, Workload.ThreeActivities];

    public static async Task<int> RunAsync(BenchmarkSettings settings, string commandLine)
    {
        Console.WriteLine($"Command: {commandLine}");
        Console.WriteLine(Machine());
        Console.WriteLine(LoadAverage("start"));
        using var loggerFactory = LoggerFactory.Create(ConfigureLogging);

        var figures = new Dictionary<StorageMode, ThroughputFigures[]>();
        IdleMemoryFigures? idle = null;
        string? idleFailure = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                foreach (var mode in Enum.GetValues<StorageMode>())
                {
                    figures[mode] = await MeasureThroughputAsync(mode, settings, loggerFactory, progress);
                }
                await using var server = await BenchmarkServer.StartAsync(StorageMode.InMemory, loggerFactory, ConfigureLogging);
                try
                {
                    idle = await new IdleMemoryBenchmark(server.Client, loggerFactory).RunAsync(
                        settings.IdleCount,
                        progress.AddTask($"Idle timers: {settings.IdleCount:N0} started", maxValue: settings.IdleCount),
                        progress.AddTask("Idle timers: first tasks taken", maxValue: settings.IdleCount));
                }
                catch (TimeoutException stalled)
                {
                    idleFailure = stalled.Message;
                }
            });

        var comparisons = Workloads.Select((workload, k) => new ThroughputComparison(workload, figures[StorageMode.InMemory][k], figures[StorageMode.Durable][k])).ToList();
        Console.WriteLine(LoadAverage("end"));
        Console.WriteLine();
        Console.WriteLine(Report.Throughput(comparisons));
        Console.WriteLine(idle is null ? $"Idle memory: not measured. {idleFailure}" : Report.IdleMemory(idle));
        var failures = string.Concat(comparisons.Select(Report.Failures).Append(idle is null ? "" : Report.Failures("Idle timers", idle.Failures)));
        Console.Error.Write(failures);
        return failures.Length == 0 && idle is { MissingTimersInSample: 0 } ? 0 : 1;
    }

    private static async Task<ThroughputFigures[]> MeasureThroughputAsync(StorageMode mode, BenchmarkSettings settings, ILoggerFactory loggerFactory, ProgressContext progress)
    {
        var taskQueue = $"bench-{mode}-{Guid.NewGuid():N}";
        await using var server = await BenchmarkServer.StartAsync(mode, loggerFactory, ConfigureLogging);
        await using var worker = BenchmarkWorker.Start(server.Client, taskQueue, loggerFactory);
        var benchmark = new ThroughputBenchmark(server.Client, taskQueue);
        var results = new List<ThroughputFigures>();
        foreach (var workload in Workloads)
        {
            var count = workload == Workload.Trivial ? settings.TrivialCount : settings.ActivityCount;
            await benchmark.RunAsync(workload, settings.WarmUpCount, settings.Concurrency, progress.AddTask($"{mode}: {workload.Name}s, warm-up", maxValue: settings.WarmUpCount));
            results.Add(await benchmark.RunAsync(workload, count, settings.Concurrency, progress.AddTask($"{mode}: {workload.Name}s", maxValue: count)));
        }
        return [.. results];
    }

    /// <summary>Warnings and errors from the server, client and worker go to stderr: they explain failed figures.</summary>
    private static void ConfigureLogging(ILoggingBuilder logging) =>
        logging.SetMinimumLevel(LogLevel.Warning).AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);

    /// <summary>Other work on the machine skews every figure; the load average says how much there was.</summary>
    private static string LoadAverage(string when) =>
        File.Exists("/proc/loadavg") ? $"Load average (1, 5, 15 min) at the {when}: {string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ')[..3])}" : "";

    private static string Machine()
    {
        var build =
#if DEBUG
            "Debug build: figures are not representative, run with -c Release";
#else
            "Release build";
#endif
        return $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, "
            + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {build}";
    }
}
