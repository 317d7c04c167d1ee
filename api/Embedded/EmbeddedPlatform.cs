using Payments.PgCluster;

namespace Payments.Api.Embedded;

/// <summary>
/// The run command's embedded mode: for each address that is not configured, start the part here —
/// a private PostgreSQL cluster under the embedded data folder, so data survives restarts.
/// Disposing stops what was started, last first, after the host has stopped.
/// </summary>
internal sealed class EmbeddedPlatform : IAsyncDisposable
{
    public const string ConnectionStringKey = "ConnectionStrings:Payments";
    private const string DatabaseName = "payments";
    private readonly Stack<IAsyncDisposable> _started = new();

    public static async Task<EmbeddedPlatform> StartAsync(ConfigurationManager configuration, Serilog.ILogger logger)
    {
        var platform = new EmbeddedPlatform();
        try
        {
            await platform.StartPostgresWhenNotConfiguredAsync(configuration, logger);
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

    private static string DataFolder(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Embedded:DataFolder"] is { Length: > 0 } folder ? folder : ".data");
}
