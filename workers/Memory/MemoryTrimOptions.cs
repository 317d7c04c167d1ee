namespace Payments.Workers.Memory;

/// <summary>Configuration section <c>Payments:Memory</c>: when a host gives back the memory of a burst it has served.</summary>
public sealed class MemoryTrimOptions
{
    public const string Section = "Payments:Memory";

    /// <summary>How often the host looks at its working set and its gen0 collections.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A burst worth giving back: the working set grown by this fraction over the lowest one since the last trim.</summary>
    public double GrowthToTrim { get; set; } = 0.10;
}
