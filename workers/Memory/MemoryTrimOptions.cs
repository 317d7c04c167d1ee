namespace Payments.Workers.Memory;

/// <summary>Configuration section <c>Payments:Memory</c>: when a host gives back the memory of a burst it has served.</summary>
public sealed class MemoryTrimOptions
{
    public const string Section = "Payments:Memory";

    /// <summary>How often the host looks at its garbage collections; a look that finds none is quiet.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A burst worth giving back: at least this many gen0 collections since the last trim.</summary>
    public int BurstCollections { get; set; } = 20;
}
