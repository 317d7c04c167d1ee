using Microsoft.Extensions.Options;
using Payments.Activities.Database;
using Payments.DevServer;
using Payments.PgCluster;
using Payments.Workers;
using Payments.Workflows;
using Serilog.Extensions.Logging;

namespace Payments.Api.Embedded;

/// <summary>
/// The run command's embedded mode, in Development only: for each address that is not configured, start the part here —
/// a private PostgreSQL cluster (supervised: restarted on its port if it dies) and our Temporal-compatible server in durable mode, both under the embedded
/// data folder, so data survives restarts — and supply its address to the options. Outside Development nothing starts:
/// the options' validation stops the start naming the missing key. Disposing stops what was started, last first, after the host has stopped.
/// </summary>
internal sealed class EmbeddedPlatform : IAsyncDisposable
{
    private const string DatabaseName = "payments";
    private readonly Stack<IAsyncDisposable> _started = new();

    /// <summary>Temporal runs in this process, so the payments worker must too (otherwise it runs on its own, as in docker-compose).</summary>
    public bool RunsTemporal => TemporalAddress is not null;

    /// <summary>The Temporal Web UI this process serves (embedded Temporal only).</summary>
    public string? UiAddress { get; private set; }

    /// <summary>The started cluster's connection string, when this process started one.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>The started server's frontend, when this process started one.</summary>
    public string? TemporalAddress { get; private set; }

    public static async Task<EmbeddedPlatform> StartAsync(IConfiguration configuration, IHostEnvironment environment, Serilog.ILogger logger)
    {
        var platform = new EmbeddedPlatform();
        if (!environment.IsDevelopment())
        {
            return platform;
        }
        var settings = configuration.Read<EmbeddedOptions>(EmbeddedOptions.Section);
        try
        {
            if (string.IsNullOrWhiteSpace(configuration.Read<DatabaseOptions>(DatabaseOptions.Section).ConnectionString))
            {
                await platform.StartPostgresAsync(settings, logger);
            }
            var temporal = configuration.Read<TemporalOptions>(TemporalOptions.Section);
            if (string.IsNullOrWhiteSpace(temporal.Address))
            {
                await platform.StartTemporalAsync(settings, temporal.Namespace, logger);
            }
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>The started parts' addresses become the options' values; configured ones are left as they are.</summary>
    public void Supply(IServiceCollection services)
    {
        if (ConnectionString is { } connectionString)
        {
            services.PostConfigure<DatabaseOptions>(options => options.ConnectionString = connectionString);
        }
        if (TemporalAddress is { } address)
        {
            services.PostConfigure<TemporalOptions>(options => options.Address = address);
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_started.TryPop(out var part))
        {
            await part.DisposeAsync();
        }
    }

    private async Task StartPostgresAsync(EmbeddedOptions settings, Serilog.ILogger logger)
    {
        var folder = Path.Combine(settings.FullDataFolder, "postgres");
        logger.Information("No {Key} configured: starting a private PostgreSQL cluster in {Folder}", DatabaseOptions.Key, folder);
        var clusterLogger = new SerilogLoggerFactory(logger).CreateLogger<PostgresCluster>();
        var cluster = await PostgresCluster.StartPersistentAsync(folder, clusterLogger);
        _started.Push(cluster);
        // Restarted on its own port when it dies, so the connection string below stays valid; readiness fails meanwhile.
        _started.Push(PostgresSupervisor.Watch(cluster, clusterLogger));
        if (!await cluster.DatabaseExistsAsync(DatabaseName))
        {
            await cluster.CreateDatabaseAsync(DatabaseName);
        }
        ConnectionString = cluster.ConnectionString(DatabaseName);
    }

    private async Task StartTemporalAsync(EmbeddedOptions settings, string temporalNamespace, Serilog.ILogger logger)
    {
        var dataFile = Path.Combine(settings.FullDataFolder, "temporal.db");
        Directory.CreateDirectory(Path.GetDirectoryName(dataFile)!);
        var options = new TemporalDevServerOptions
        {
            Port = settings.TemporalPort,
            UiPort = settings.UiPort,
            DatabaseFile = dataFile,
            Namespace = temporalNamespace,
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
            var key = taken.Option == nameof(options.UiPort) ? EmbeddedOptions.UiPortKey : EmbeddedOptions.TemporalPortKey;
            throw new InvalidOperationException(
                $"Port {taken.Port} is already in use (another Temporal server or run command?): set {key} to a free port, or 0 for any.", taken);
        }
        _started.Push(server);
        logger.Information("No {Key} configured: Temporal dev server on {Target}, state in {DataFile}", TemporalOptions.AddressKey, server.Target, dataFile);
        TemporalAddress = server.Target;
        UiAddress = server.UiAddress;
    }
}
