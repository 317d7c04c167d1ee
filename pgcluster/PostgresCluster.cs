using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Payments.PgCluster;

/// <summary>
/// A private PostgreSQL cluster on a free loopback port: throw-away for tests (swept by the next run if its
/// owner died) or kept in a folder across restarts for the run command.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private const int PortAttempts = 5;
    private readonly PostgresBinaries _binaries;
    private readonly string _clusterFolder;
    private readonly bool _ephemeral;
    private readonly ILogger _logger;
    private int _stopped;

    private PostgresCluster(PostgresBinaries binaries, string clusterFolder, bool ephemeral, int port, ILogger logger)
    {
        _binaries = binaries;
        _clusterFolder = clusterFolder;
        _ephemeral = ephemeral;
        _logger = logger;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The folder holding the cluster's data and server log.</summary>
    public string Folder => _clusterFolder;

    private string DataFolder => Path.Combine(_clusterFolder, "data");

    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>A throw-away cluster in the temp folder, deleted on dispose; the next run sweeps it if this process dies first.</summary>
    public static async Task<PostgresCluster> StartEphemeralAsync(ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var binaries = PostgresBinaries.Find();
        var root = AbandonedClusters.SharedRoot();
        await AbandonedClusters.SweepAsync(root, binaries, logger, cancellationToken);

        var folder = Path.Combine(root, $"{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(folder);
        AbandonedClusters.MarkOwned(folder);
        return await InitAndStartAsync(binaries, folder, ephemeral: true, logger, cancellationToken);
    }

    /// <summary>
    /// A cluster kept in <paramref name="folder"/>: created on first use, restarted afterwards on the port it had
    /// (recorded in the folder; a fresh free port only when another process took it meanwhile).
    /// </summary>
    public static async Task<PostgresCluster> StartPersistentAsync(string folder, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        var binaries = PostgresBinaries.Find();
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var dataFolder = Path.Combine(folder, "data");
        if (File.Exists(Path.Combine(dataFolder, "postmaster.pid")))
        {
            // A previous run was killed and left its server running: stop it before starting ours.
            await TryStopAsync(binaries, dataFolder, "fast", cancellationToken);
        }
        return await InitAndStartAsync(binaries, folder, ephemeral: false, logger, cancellationToken);
    }

    // Unpooled: a restarted cluster keeps its port, so a pooled connection to the old server would look reusable.
    private NpgsqlConnection AdminConnection() => new(new NpgsqlConnectionStringBuilder(ConnectionString()) { Pooling = false }.ConnectionString);

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = AdminConnection();
        await connection.OpenAsync(cancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> DatabaseExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = AdminConnection();
        await connection.OpenAsync(cancellationToken);
        await using var query = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = name } } };
        return await query.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await TryStopAsync(_binaries, DataFolder, _ephemeral ? "immediate" : "fast", CancellationToken.None);
        if (_ephemeral)
        {
            AbandonedClusters.Delete(_clusterFolder);
        }
        _logger.LogInformation("PostgreSQL on port {Port} stopped", Port);
    }

    private static async Task<PostgresCluster> InitAndStartAsync(
        PostgresBinaries binaries, string folder, bool ephemeral, ILogger logger, CancellationToken cancellationToken)
    {
        await CommandRunner.GiveToServerUserAsync(folder, cancellationToken);
        var dataFolder = Path.Combine(folder, "data");
        if (!File.Exists(Path.Combine(dataFolder, "PG_VERSION")))
        {
            await CommandRunner.RunAsync(binaries.InitDb,
                ["-D", dataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-instructions"], cancellationToken);
        }

        var portFile = Path.Combine(folder, "port");
        for (var attempt = 1; ; attempt++)
        {
            var port = attempt == 1 && !ephemeral && RecordedPort(portFile) is { } recorded && IsFree(recorded) ? recorded : FreeLoopbackPort();
            try
            {
                await CommandRunner.RunAsync(binaries.PgCtl,
                    ["-D", dataFolder, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o", ServerOptions(port, ephemeral), "start"],
                    cancellationToken);
                logger.LogInformation("PostgreSQL started on 127.0.0.1:{Port} in {Folder}", port, folder);
                if (!ephemeral)
                {
                    await File.WriteAllTextAsync(portFile, port.ToString(CultureInfo.InvariantCulture), cancellationToken);
                }
                return new PostgresCluster(binaries, folder, ephemeral, port, logger);
            }
            catch (CommandFailedException) when (attempt < PortAttempts)
            {
                // Another process took the port between our probe and the server's bind: try another one.
                logger.LogWarning("PostgreSQL did not start on port {Port}; trying another port", port);
            }
        }
    }

    // No Unix socket (paths under deep folders exceed its 107-byte limit); throw-away clusters trade durability for speed.
    private static string ServerOptions(int port, bool ephemeral) =>
        $"-p {port} -h 127.0.0.1 -c unix_socket_directories='' -c max_connections=300" +
        (ephemeral ? " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" : "");

    internal static async Task TryStopAsync(PostgresBinaries binaries, string dataFolder, string mode, CancellationToken cancellationToken)
    {
        try
        {
            await CommandRunner.RunAsync(binaries.PgCtl, ["-D", dataFolder, "-m", mode, "-w", "stop"], cancellationToken);
        }
        catch (CommandFailedException)
        {
            // Not running: nothing to stop.
        }
    }

    private static int? RecordedPort(string portFile) =>
        File.Exists(portFile) && int.TryParse(File.ReadAllText(portFile), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
