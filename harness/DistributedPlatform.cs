using Npgsql;
using Payments.PgCluster;

namespace Payments.Harness;

/// <summary>
/// The platform as deployed: PostgreSQL (a durable private cluster), the devserver in durable mode, the API and the
/// standalone worker, each its own process on this machine, under one work folder.
/// </summary>
public sealed class DistributedPlatform : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Dictionary<string, string> _environment;
    private readonly PostgresCluster _cluster;
    private readonly Lock _gate = new();

    private DistributedPlatform(string folder, PostgresCluster cluster, Dictionary<string, string> environment, ChildProcess devServer, Uri apiAddress)
    {
        _folder = folder;
        _cluster = cluster;
        _environment = environment;
        DevServer = devServer;
        ApiAddress = apiAddress;
    }

    public Uri ApiAddress { get; }

    public string ConnectionString => _environment["ConnectionStrings__Payments"];

    public string TemporalAddress => _environment["Temporal__Address"];

    public ChildProcess DevServer { get; }

    public ChildProcess Api { get; private set; } = null!;

    public ChildProcess Worker { get; private set; } = null!;

    /// <summary>The postmaster's pid: its figures include its backends (live and exited).</summary>
    public int PostgresPid => int.Parse(File.ReadLines(Path.Combine(_cluster.Folder, "data", "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="settings">Configuration for the API and the worker, as environment variables (e.g. <c>Payments__Notify__Schedule</c>).</param>
    public static async Task<DistributedPlatform> StartAsync(string folder, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var cluster = await PostgresCluster.StartPersistentAsync(Path.Combine(folder, "postgres"), cancellationToken: cancellationToken);
        await cluster.CreateDatabaseAsync("payments", cancellationToken);
        var temporalPort = LoopbackPort.Free();
        var devServer = ChildProcess.Start("devserver", PlatformPrograms.DevServer,
            ["server", "start-dev", "--ip", "127.0.0.1", "--port", $"{temporalPort}", "--db-filename", Path.Combine(folder, "temporal.db"),
             "--search-attribute", "MerchantId=Keyword", "--search-attribute", "PaymentStatus=Keyword", "--headless"],
            new Dictionary<string, string>(), Path.Combine(folder, "devserver.log"));
        // The worker exits when Temporal is out of reach at its start (a service manager would restart it): wait for the server.
        await LoopbackPort.WaitListeningAsync(temporalPort, TimeSpan.FromSeconds(60), cancellationToken);
        var apiAddress = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var environment = new Dictionary<string, string>(settings)
        {
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ConnectionStrings__Payments"] = cluster.ConnectionString("payments"),
            ["Temporal__Address"] = $"127.0.0.1:{temporalPort}",
        };
        environment.TryAdd("Payments__Bank__RefundUrl", new Uri(apiAddress, "/simulator/bank/refunds").ToString());
        var platform = new DistributedPlatform(folder, cluster, environment, devServer, apiAddress);
        platform.Api = platform.StartApi();
        platform.Worker = platform.StartWorker();
        try
        {
            using var client = new PlatformClient(apiAddress);
            await client.WaitReadyAsync(TimeSpan.FromSeconds(120), cancellationToken);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILLs the worker and starts another: what it held in flight is retried by the server after its timeouts.</summary>
    public async Task KillAndRestartWorkerAsync()
    {
        await Worker.KillAsync();
        await Worker.DisposeAsync();
        lock (_gate)
        {
            Worker = StartWorker();
        }
    }

    public async Task<NpgsqlDataSource> OpenDatabaseAsync()
    {
        var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var probe = await dataSource.OpenConnectionAsync();
        return dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        // The API and the worker shut down gracefully at once; the devserver and PostgreSQL outlive both.
        await Task.WhenAll(Api.DisposeAsync().AsTask(), Worker.DisposeAsync().AsTask());
        await DevServer.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private ChildProcess StartApi() => ChildProcess.Start("api", PlatformPrograms.Api, [],
        new Dictionary<string, string>(_environment) { ["ASPNETCORE_URLS"] = ApiAddress.ToString() }, Path.Combine(_folder, "api.log"));

    private ChildProcess StartWorker() => ChildProcess.Start("worker", PlatformPrograms.Worker, [], _environment, Path.Combine(_folder, "worker.log"));
}
