namespace Payments.Chaos;

/// <summary>A fault the run injects while payments are in flight, e.g. "worker SIGKILLed and restarted".</summary>
internal sealed record Fault(string Kind, Func<Task> InjectAsync);

/// <summary>
/// A platform under test as the chaos run sees it: where its API listens, how to reach its database and Temporal
/// server now (both may move when it restarts), its processes by name, and the faults to inject into it.
/// </summary>
internal sealed record Target(
    string Name,
    Uri ApiAddress,
    Func<string> ConnectionString,
    Func<string> TemporalAddress,
    Func<IReadOnlyDictionary<string, int>> Processes,
    IReadOnlyList<Fault> Faults);
