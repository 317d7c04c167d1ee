using System.Collections.Concurrent;
using System.Net;

namespace Payments.Chaos;

/// <summary>What the run's own clients saw during a phase, for the invariants to hold the platform's records against.</summary>
internal sealed class Observations
{
    /// <summary>Every payment of the phase (warm-up included) by payment id.</summary>
    public Dictionary<string, Plan> Plans { get; } = [];

    /// <summary>The decisions the API answered 202, in order, by payment.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> AcceptedResolutions { get; } = new();

    /// <summary>The answers of each burst of concurrent resolutions, by payment.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode[]>> Contests { get; } = new();

    /// <summary>Payments seen SUSPENDED again after an accepted REFUND, with the <c>lastError</c> they showed.</summary>
    public ConcurrentDictionary<string, string?> ReturnedAfterRefund { get; } = new();

    public IReadOnlyDictionary<string, long> IdleRss { get; set; } = new Dictionary<string, long>();

    public IReadOnlyDictionary<string, long> SettledRss { get; set; } = new Dictionary<string, long>();
}
