using Npgsql;
using Payments.PgCluster;
using Xunit;

namespace Payments.Tests.Fixtures;

/// <summary>
/// A fresh, empty database for one test class or collection, on the test run's private PostgreSQL cluster
/// (or on the server named by <c>PAYMENTS_TEST_DATABASE</c>).
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database fixture has not been initialised.");

    public string DatabaseName { get; } = $"test_{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        var server = await TestPostgresServer.GetAsync();
        _connectionString = await server.CreateDatabaseAsync(DatabaseName);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        var server = await TestPostgresServer.GetAsync();
        await server.DropDatabaseAsync(DatabaseName);
    }
}

/// <summary>The PostgreSQL server of this test process: started once, stopped when the process exits.</summary>
public sealed class TestPostgresServer
{
    public const string ConnectionStringVariable = "PAYMENTS_TEST_DATABASE";
    private static readonly Lazy<Task<TestPostgresServer>> Shared = new(StartAsync);
    private readonly string _adminConnectionString;

    private TestPostgresServer(string adminConnectionString) => _adminConnectionString = adminConnectionString;

    public static Task<TestPostgresServer> GetAsync() => Shared.Value;

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = name }.ConnectionString;
    }

    public Task DropDatabaseAsync(string name) => ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<TestPostgresServer> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new TestPostgresServer(configured);
        }
        try
        {
            var cluster = await PostgresCluster.StartEphemeralAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new TestPostgresServer(cluster.ConnectionString());
        }
        catch (PostgresNotFoundException e)
        {
            throw new InvalidOperationException(
                $"These tests need PostgreSQL. {e.Message} (set {ConnectionStringVariable} to a connection string whose user may create databases).", e);
        }
    }
}
