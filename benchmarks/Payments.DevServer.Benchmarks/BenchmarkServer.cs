using Microsoft.Extensions.Logging;
using Temporalio.Client;

namespace Payments.DevServer.Benchmarks;

/// <summary>Our devserver on a free loopback port in one storage mode, with a connected SDK client.</summary>
internal sealed class BenchmarkServer : IAsyncDisposable
{
    private readonly TemporalDevServer _server;
    private readonly DirectoryInfo? _dataFolder;

    private BenchmarkServer(TemporalDevServer server, ITemporalClient client, DirectoryInfo? dataFolder)
    {
        _server = server;
        Client = client;
        _dataFolder = dataFolder;
    }

    public ITemporalClient Client { get; }

    /// <summary>Durable mode keeps its SQLite file in a fresh temp folder, deleted on dispose.</summary>
    public static async Task<BenchmarkServer> StartAsync(StorageMode mode, ILoggerFactory loggerFactory, Action<ILoggingBuilder> logging)
    {
        var dataFolder = mode == StorageMode.Durable ? Directory.CreateTempSubdirectory("devserver-bench-") : null;
        var server = await TemporalDevServer.StartAsync(
            new TemporalDevServerOptions { Port = 0, DatabaseFile = dataFolder is null ? null : Path.Combine(dataFolder.FullName, "temporal.db") },
            logging);
        var client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(server.Target) { LoggerFactory = loggerFactory });
        return new BenchmarkServer(server, client, dataFolder);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _dataFolder?.Delete(recursive: true);
    }
}

internal enum StorageMode
{
    InMemory,
    Durable,
}
