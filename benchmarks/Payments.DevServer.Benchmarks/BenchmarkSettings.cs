namespace Payments.DevServer.Benchmarks;

/// <summary>How big each measured batch is; <c>--quick</c> shrinks every default to a run of seconds.</summary>
internal sealed record BenchmarkSettings(bool Quick, int TrivialCount, int ActivityCount, int Concurrency, int IdleCount)
{
    /// <summary>Workflows run before each measurement so JIT, connections and SQLite pages are warm.</summary>
    public int WarmUpCount => Quick ? 20 : 200;
}
