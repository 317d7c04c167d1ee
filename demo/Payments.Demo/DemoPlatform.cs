using Payments.Harness;

namespace Payments.Demo;

/// <summary>
/// The platform the story runs on: one that already answers <c>/health/ready</c> at the given address, or the run
/// command's platform started for the demo (its own data folder and ports) with timers short enough to watch.
/// </summary>
public sealed class DemoPlatform : IAsyncDisposable
{
    private readonly EmbeddedPlatformProcess? _started;
    private readonly string? _folder;

    private DemoPlatform(Uri apiAddress, Uri uiAddress, EmbeddedPlatformProcess? started, string? folder)
    {
        ApiAddress = apiAddress;
        UiAddress = uiAddress;
        _started = started;
        _folder = folder;
    }

    public Uri ApiAddress { get; }

    public Uri UiAddress { get; }

    /// <summary>True when the demo started this platform, so its timers are the demo's.</summary>
    public bool IsOwn => _started is not null;

    /// <summary>Where the started platform writes its log (null for a platform that was already running).</summary>
    public string? LogFile => _folder is null ? null : Path.Combine(_folder, "embedded.log");

    /// <summary>The running platform at <paramref name="apiAddress"/>, if it is ready now.</summary>
    public static async Task<DemoPlatform?> FindRunningAsync(Uri apiAddress, Uri uiAddress, CancellationToken cancellationToken)
    {
        using var client = new PlatformClient(apiAddress);
        try
        {
            await client.WaitReadyAsync(TimeSpan.Zero, cancellationToken);
            return new DemoPlatform(apiAddress, uiAddress, null, null);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Starts the run command's platform (embedded PostgreSQL, devserver, worker) in a fresh temporary folder.</summary>
    public static async Task<DemoPlatform> StartAsync(DemoTimers timers, CancellationToken cancellationToken)
    {
        // Not CreateTempSubdirectory: its mode 700 keeps out the postgres user that runs the cluster when started as root.
        var folder = Path.Combine(Path.GetTempPath(), $"payments-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var platform = await EmbeddedPlatformProcess.StartAsync(Path.Combine(folder, "data"), new Dictionary<string, string>
        {
            ["Payments__Bank__QuerySchedule"] = timers.QuerySchedule,
            ["Payments__Orders__ExpireAfter"] = timers.ExpireAfter,
        }, cancellationToken);
        return new DemoPlatform(platform.ApiAddress, platform.UiAddress, platform, folder);
    }

    public Uri WorkflowPage(string workflowId) => new(UiAddress, $"/namespaces/default/workflows/{Uri.EscapeDataString(workflowId)}");

    /// <summary>Stops a started platform and drops its data; its log stays for a look afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.DisposeAsync();
            Directory.Delete(Path.Combine(_folder!, "data"), recursive: true);
        }
    }
}

/// <summary>The started platform's bank query schedule and order expiry (<c>Payments:Bank:QuerySchedule</c>, <c>Payments:Orders:ExpireAfter</c>).</summary>
public sealed record DemoTimers(string QuerySchedule, string ExpireAfter)
{
    /// <summary>CI's: the lost callback is found 2 s after creation, the unpaid order closed after 15 s.</summary>
    public static DemoTimers Ci { get; } = new("2s", "00:00:15");

    /// <summary>Slow enough to watch each step, short enough to wait for.</summary>
    public static DemoTimers Watchable { get; } = new("5s", "00:00:40");
}
