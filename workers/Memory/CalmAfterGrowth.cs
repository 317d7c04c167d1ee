namespace Payments.Workers.Memory;

/// <summary>
/// <see cref="QuietMemoryTrim"/>'s decision, look by look: give memory back once the working set has grown by
/// <c>growthToTrim</c> over its lowest point since the last trim and the host has calmed down. Growth, not a count of
/// collections, says a burst is worth giving back: a host that collects little (the API between callbacks) grows too.
/// </summary>
public sealed class CalmAfterGrowth(double growthToTrim)
{
    /// <summary>
    /// A look with at most a quarter of the busiest look's gen0 collections is calm: the burst is behind the host, and
    /// what still allocates (polls, timers, pool pruning, a retried task) never makes a look wholly quiet under load.
    /// </summary>
    private const int CalmFraction = 4;

    private long _lowest = long.MaxValue;
    private int _busiest;

    /// <param name="collections">Gen0 collections since the previous look.</param>
    /// <param name="workingSet">The process's working set now, in bytes.</param>
    /// <returns>The growth to give back now, or null.</returns>
    public Growth? Look(int collections, long workingSet)
    {
        _lowest = Math.Min(_lowest, workingSet);
        _busiest = Math.Max(_busiest, collections);
        var calm = collections * CalmFraction <= _busiest;
        var grown = workingSet >= _lowest * (1 + growthToTrim);
        return calm && grown ? new Growth(_lowest, workingSet, collections, _busiest) : null;
    }

    /// <summary>What a trim left is the next growth's starting point; the next burst's rate is measured afresh.</summary>
    public void Trimmed(long workingSet)
    {
        _lowest = workingSet;
        _busiest = 0;
    }
}

/// <summary>A burst to give back: the working set grew from <paramref name="FromBytes"/> to <paramref name="ToBytes"/>.</summary>
/// <param name="LastLook">Gen0 collections in the calm look.</param>
/// <param name="BusiestLook">The most gen0 collections one look saw since the last trim.</param>
public sealed record Growth(long FromBytes, long ToBytes, int LastLook, int BusiestLook);
