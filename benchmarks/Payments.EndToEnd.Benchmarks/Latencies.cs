namespace Payments.EndToEnd.Benchmarks;

/// <summary>p50 / p95 / p99 of a set of durations, in milliseconds (nearest rank).</summary>
public sealed record Latencies(double P50, double P95, double P99)
{
    public static Latencies Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Select(d => d.TotalMilliseconds).Order().ToArray();
        return sorted.Length == 0 ? new Latencies(0, 0, 0) : new Latencies(Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99));
    }

    public override string ToString() => $"{P50:0} / {P95:0} / {P99:0}";

    private static double Rank(double[] sorted, double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
