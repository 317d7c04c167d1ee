using System.Collections.Concurrent;

namespace Payments.DevServer.Benchmarks;

/// <summary>Counts failed workflows and keeps one message per distinct error, for the report.</summary>
internal sealed class FailureLog
{
    private readonly ConcurrentDictionary<string, int> _byMessage = new(StringComparer.Ordinal);
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IEnumerable<string> Summary => _byMessage.Select(pair => $"{pair.Value} × {pair.Key}");

    public void Add(Exception failure)
    {
        Interlocked.Increment(ref _count);
        _byMessage.AddOrUpdate($"{failure.GetType().Name}: {failure.Message}", 1, (_, seen) => seen + 1);
    }
}
