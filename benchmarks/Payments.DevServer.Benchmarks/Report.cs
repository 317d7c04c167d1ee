using System.Globalization;
using System.Text;

namespace Payments.DevServer.Benchmarks;

/// <summary>Turns the measured figures into the Markdown the README carries.</summary>
internal static class Report
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Throughput(IReadOnlyList<ThroughputComparison> comparisons)
    {
        var table = new MarkdownTable("Figure", "In memory", "Durable (SQLite)", "Durable ÷ in memory");
        foreach (var (workload, memory, durable) in comparisons)
        {
            var what = $"{workload.Name}s (N = {memory.Count:N0}, {memory.Concurrency} in flight)";
            table.Row($"{what}: completed / s", Number(memory.PerSecond), Number(durable.PerSecond), Ratio(durable.PerSecond, memory.PerSecond));
            table.Row($"{workload.Name}: p50 start-to-result (ms)", Milliseconds(memory.P50), Milliseconds(durable.P50), Ratio(durable.P50.TotalMilliseconds, memory.P50.TotalMilliseconds));
            table.Row($"{workload.Name}: p99 start-to-result (ms)", Milliseconds(memory.P99), Milliseconds(durable.P99), Ratio(durable.P99.TotalMilliseconds, memory.P99.TotalMilliseconds));
            table.Row($"{workload.Name}: CPU per workflow, whole process (ms)", Milliseconds(memory.ProcessorTimePerWorkflow), Milliseconds(durable.ProcessorTimePerWorkflow), Ratio(durable.ProcessorTimePerWorkflow.TotalMilliseconds, memory.ProcessorTimePerWorkflow.TotalMilliseconds));
            if (memory.Failures.Count + durable.Failures.Count > 0)
            {
                table.Row($"{workload.Name}: failed", memory.Failures.Count.ToString(Culture), durable.Failures.Count.ToString(Culture), "");
            }
        }
        return table.ToString();
    }

    public static string IdleMemory(IdleMemoryFigures figures)
    {
        var table = new MarkdownTable("Idle workflows on a 1-day timer (in memory)", "Value");
        table.Row("Workflows", figures.Count.ToString("N0", Culture));
        table.Row("Managed heap per workflow", Bytes(figures.ManagedBytesPerWorkflow));
        table.Row("Working set per workflow", Bytes(figures.WorkingSetBytesPerWorkflow));
        table.Row("Managed heap before → after", $"{Megabytes(figures.Before.ManagedBytes)} → {Megabytes(figures.After.ManagedBytes)}");
        table.Row("Working set before → after", $"{Megabytes(figures.Before.WorkingSetBytes)} → {Megabytes(figures.After.WorkingSetBytes)}");
        table.Row("Time to start them all", Seconds(figures.AllStarted));
        table.Row("Time until the worker took every first task", Seconds(figures.AllTaken));
        if (figures.Failures.Count > 0 || figures.MissingTimersInSample > 0)
        {
            table.Row("Failed starts", figures.Failures.Count.ToString(Culture));
            table.Row("Sampled histories without a started timer", figures.MissingTimersInSample.ToString(Culture));
        }
        return table.ToString();
    }

    public static string Failures(ThroughputComparison comparison) =>
        Failures($"{comparison.Workload.Name}, in memory", comparison.InMemory.Failures) + Failures($"{comparison.Workload.Name}, durable", comparison.Durable.Failures);

    public static string Failures(string heading, FailureLog failures)
    {
        var text = new StringBuilder();
        foreach (var line in failures.Summary)
        {
            text.Append(heading).Append(": ").AppendLine(line);
        }
        return text.ToString();
    }

    private static string Number(double value) => value.ToString("N0", Culture);

    private static string Ratio(double value, double baseline) => baseline == 0 ? "–" : (value / baseline).ToString("0.00", Culture);

    private static string Milliseconds(TimeSpan value) => value.TotalMilliseconds.ToString(value.TotalMilliseconds < 10 ? "0.00" : "0.0", Culture);

    private static string Seconds(TimeSpan value) => $"{value.TotalSeconds.ToString("0.0", Culture)} s";

    private static string Bytes(double value) => value >= 10_240 ? $"{(value / 1024).ToString("0.0", Culture)} KiB" : $"{value.ToString("N0", Culture)} B";

    private static string Megabytes(long value) => $"{(value / (1024.0 * 1024)).ToString("0", Culture)} MiB";
}
