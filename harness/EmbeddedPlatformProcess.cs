using System.Globalization;
using Npgsql;

namespace Payments.Harness;

/// <summary>
/// The run command's platform: one API process in embedded mode (its own PostgreSQL, devserver and worker) over a
/// data folder that outlives it, so it can be killed and started again on the same state.
/// </summary>
public sealed class EmbeddedPlatformProcess : IAsyncDisposable
{
    private readonly string _dataFolder;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _logFile;
    private readonly int _temporalPort = LoopbackPort.Free();
    private readonly int _uiPort = LoopbackPort.Free();

    private EmbeddedPlatformProcess(string dataFolder, IReadOnlyDictionary<string, string> settings, Uri apiAddress, string logFile)
    {
        _dataFolder = dataFolder;
        _settings = settings;
        ApiAddress = apiAddress;
        _logFile = logFile;
    }

    public Uri ApiAddress { get; }

    public ChildProcess Api { get; private set; } = null!;

    private string PidFile => Path.Combine(_dataFolder, "postgres", "data", "postmaster.pid");

    /// <summary>The embedded postmaster, which outlives a killed API (the next start stops it and starts its own).</summary>
    public int PostgresPid => int.Parse(File.ReadLines(PidFile).First(), CultureInfo.InvariantCulture);

    /// <summary>The current connection string to the embedded cluster (its port changes when the platform restarts).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = int.Parse(File.ReadLines(PidFile).ElementAt(3), CultureInfo.InvariantCulture),
        Username = "postgres",
        Database = "payments",
    }.ConnectionString;

    /// <summary>The embedded devserver's address (ports of its own, so it runs beside another platform on this machine).</summary>
    public string TemporalAddress => $"127.0.0.1:{_temporalPort}";

    /// <summary>The embedded devserver's Temporal UI.</summary>
    public Uri UiAddress => new($"http://127.0.0.1:{_uiPort}");

    public static async Task<EmbeddedPlatformProcess> StartAsync(string dataFolder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataFolder);
        var platform = new EmbeddedPlatformProcess(dataFolder, settings, new Uri($"http://127.0.0.1:{LoopbackPort.Free()}"), Path.Combine(dataFolder, "..", "embedded.log"));
        try
        {
            await platform.StartApiAsync(cancellationToken);
        }
        catch when (platform.Api is not null)
        {
            // A platform that never got ready is stopped here: nobody else holds it.
            await platform.DisposeAsync();
            throw;
        }
        return platform;
    }

    /// <summary>SIGKILLs the platform's process and starts it again on the same data and address.</summary>
    public async Task KillAndRestartAsync(CancellationToken cancellationToken = default)
    {
        await Api.KillAsync();
        await Api.DisposeAsync();
        await StartApiAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await Api.DisposeAsync();

    private async Task StartApiAsync(CancellationToken cancellationToken)
    {
        Api = ChildProcess.Start("platform", PlatformPrograms.Api, [], new Dictionary<string, string>(_settings)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = ApiAddress.ToString(),
            ["Embedded__DataFolder"] = _dataFolder,
            ["Embedded__TemporalPort"] = $"{_temporalPort}",
            ["Embedded__UiPort"] = $"{_uiPort}",
        }, _logFile);
        using var client = new PlatformClient(ApiAddress);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ready = client.WaitReadyAsync(TimeSpan.FromSeconds(120), stopWaiting.Token);
        var exited = Api.WaitForExitAsync(stopWaiting.Token);
        var first = await Task.WhenAny(ready, exited);
        await stopWaiting.CancelAsync();
        // A platform that failed at start (a port taken, PostgreSQL missing) says so at once, not after the whole patience.
        if (first == exited && exited.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException($"The platform exited before it was ready; its log: {Path.GetFullPath(_logFile)}");
        }
        await ready;
    }
}
