using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Workers.Memory;

/// <summary>
/// Gives a burst's memory back once the host has calmed down. Neither allocator does it alone: the GC collects only when
/// something allocates, so an idle process keeps its last budgets and free regions committed; glibc keeps the freed
/// blocks of the Temporal core (native) in its arenas. When <see cref="CalmAfterGrowth"/> says so: one aggressive,
/// compacting GC (it decommits what the heap does not use) and <c>malloc_trim</c> (it returns the arenas' free pages).
/// </summary>
internal sealed partial class QuietMemoryTrim(IOptions<MemoryTrimOptions> options, ILogger<QuietMemoryTrim> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var decision = new CalmAfterGrowth(settings.GrowthToTrim);
        using var timer = new PeriodicTimer(settings.CheckEvery);
        var lastLook = GC.CollectionCount(0);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var collections = GC.CollectionCount(0) - lastLook;
            if (decision.Look(collections, Environment.WorkingSet) is { } growth)
            {
                decision.Trimmed(Trim(growth));
            }
            lastLook = GC.CollectionCount(0);
        }
    }

    /// <returns>The working set the trim left.</returns>
    private long Trim(Growth growth)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var nativeReleased = OperatingSystem.IsLinux() ? TrimNativeHeap() : null;
        var after = Environment.WorkingSet;
        logger.LogInformation(
            "Calm after growing {From} → {To} MiB ({Collections} gen0 collections in the last look, {Busiest} in the busiest): memory given back, working set {After} MiB (native pages released: {NativeReleased})",
            growth.FromBytes / 1048576, growth.ToBytes / 1048576, growth.LastLook, growth.BusiestLook, after / 1048576, nativeReleased?.ToString() ?? "no malloc_trim here");
        return after;
    }

    /// <summary>glibc's <c>malloc_trim</c>: whether it released pages; null where the C library has none (musl).</summary>
    private static bool? TrimNativeHeap()
    {
        try
        {
            return MallocTrim(0) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
