using Payments.DevServer;
using Payments.PgCluster;
using Payments.Workflows;

namespace Payments.Api.Embedded;

/// <summary>
/// The run command's embedded mode: for each address that is not configured, start the part here —
/// a private PostgreSQL cluster and our Temporal-compatible server in durable mode, both under the embedded
/// data folder, so data survives restarts. Disposing stops what was started, last first, after the host has stopped.
/// </summary>
internal sealed class EmbeddedPlatform : IAsyncDisposable
{
    public const string ConnectionStringKey = "ConnectionStrings:Payments";
    public const string TemporalAddressKey = "Temporal:Address";
    public const string TemporalPortKey = "Embedded:TemporalPort";
    public const string UiPortKey = "Embedded:UiPort";
    private const string DatabaseName = "payments";
    private readonly Stack<IAsyncDisposable> _started = new();

    /// <summary>Temporal runs in this process, so the payments worker must too (otherwise it runs on its own, as in docker-compose).</summary>
    public bool RunsTemporal { get; private set; }

    /// <summary>The Temporal Web UI this process serves (embedded Temporal only).</summary>
    public string? UiAddress { get; private set; }

    public static async Task<EmbeddedPlatform> StartAsync(ConfigurationManager configuration, Serilog.ILogger logger)
    {
        var platform = new EmbeddedPlatform();
        try
        {
            await platform.StartPostgresWhenNotConfiguredAsync(configuration, logger);
            await platform.StartTemporalWhenNotConfiguredAsync(configuration, logger);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_started.TryPop(out var part))
        {
            await part.DisposeAsync();
        }
    }

    private async Task StartPostgresWhenNotConfiguredAsync(ConfigurationManager configuration, Serilog.ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringKey]))
        {
            return;
        }
        var folder = Path.Combine(DataFolder(configuration), "postgres");
        logger.Information("No {Key} configured: starting a private PostgreSQL cluster in {Folder}", ConnectionStringKey, folder);
        var cluster = await PostgresCluster.StartPersistentAsync(folder);
        _started.Push(cluster);
        if (!await cluster.DatabaseExistsAsync(DatabaseName))
        {
            await cluster.CreateDatabaseAsync(DatabaseName);
        }
        configuration[ConnectionStringKey] = cluster.ConnectionString(DatabaseName);
    }

    private async Task StartTemporalWhenNotConfiguredAsync(ConfigurationManager configuration, Serilog.ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(configuration[TemporalAddressKey]))
        {
            return;
        }
        var dataFile = Path.Combine(DataFolder(configuration), "temporal.db");
        Directory.CreateDirectory(Path.GetDirectoryName(dataFile)!);
        var options = new TemporalDevServerOptions
        {
            Port = configuration.GetValue(TemporalPortKey, TemporalDevServerOptions.DefaultPort),
            UiPort = configuration.GetValue(UiPortKey, TemporalDevServerOptions.DefaultUiPort),
            DatabaseFile = dataFile,
            Namespace = configuration["Temporal:Namespace"] is { Length: > 0 } ns ? ns : "default",
        };
        foreach (var attribute in PaymentsTemporal.SearchAttributes)
        {
            options.SearchAttributes[attribute.Name] = attribute.ValueType;
        }
        TemporalDevServer server;
        try
        {
            server = await TemporalDevServer.StartAsync(options);
        }
        catch (PortInUseException taken)
        {
            // As `temporal server start-dev` does: stop, and say which setting picks another port.
            var key = taken.Option == nameof(options.UiPort) ? UiPortKey : TemporalPortKey;
            throw new InvalidOperationException(
                $"Port {taken.Port} is already in use (another Temporal server or run command?): set {key} to a free port, or 0 for any.", taken);
        }
        _started.Push(server);
        logger.Information("No {Key} configured: Temporal dev server on {Target}, state in {DataFile}", TemporalAddressKey, server.Target, dataFile);
        configuration[TemporalAddressKey] = server.Target;
        RunsTemporal = true;
        UiAddress = server.UiAddress;
    }

    public static string DataFolder(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Embedded:DataFolder"] is { Length: > 0 } folder ? folder : ".data");
}
