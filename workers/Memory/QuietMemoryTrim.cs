using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Payments.Workers.Memory;

/// <summary>
/// Gives a burst's memory back once the host is quiet again. Neither allocator does it alone: the GC collects only when
/// something allocates, so an idle process keeps its last budgets and free regions committed; glibc keeps the freed
/// blocks of the Temporal core (native) in its arenas. After a burst, at the first quiet look (no gen0 collection since
/// the previous one): one aggressive, compacting GC (it decommits what the heap does not use) and <c>malloc_trim</c>
/// (it returns the arenas' free pages).
/// </summary>
internal sealed partial class QuietMemoryTrim(IOptions<MemoryTrimOptions> options, ILogger<QuietMemoryTrim> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.CheckEvery);
        // Gen0 collections count allocation in the GC's own budget: none between two looks is a quiet host, whatever its size.
        var lastLook = GC.CollectionCount(0);
        var sinceTrim = 0;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var collections = GC.CollectionCount(0) - lastLook;
            sinceTrim += collections;
            if (collections == 0 && sinceTrim >= settings.BurstCollections)
            {
                Trim(sinceTrim);
                sinceTrim = 0;
            }
            lastLook = GC.CollectionCount(0);
        }
    }

    private void Trim(int collections)
    {
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var nativeReleased = OperatingSystem.IsLinux() ? TrimNativeHeap() : null;
        logger.LogInformation(
            "Quiet after a burst of {Collections} collections: memory given back, working set {Before} → {After} MiB (native pages released: {NativeReleased})",
            collections, before / 1048576, Environment.WorkingSet / 1048576, nativeReleased?.ToString() ?? "no malloc_trim here");
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
