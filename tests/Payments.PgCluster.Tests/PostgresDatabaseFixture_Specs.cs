using Npgsql;
using Payments.Tests.Fixtures;

namespace Payments.PgCluster.Tests;

public sealed class PostgresDatabaseFixture_Specs : IClassFixture<PostgresDatabaseFixture>
{
    private readonly PostgresDatabaseFixture _database;

    public PostgresDatabaseFixture_Specs(PostgresDatabaseFixture database) => _database = database;

    [Fact]
    public async Task ConnectionString_OpensFreshDatabase_WithNoTablesOfItsOwn()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT current_database(), (SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(_database.DatabaseName, reader.GetString(0));
        Assert.Equal(0L, reader.GetInt64(1));
    }

    [Fact]
    public async Task TwoFixtures_GetSeparateDatabases_OnOneServer()
    {
        var other = new PostgresDatabaseFixture();
        await other.InitializeAsync();
        try
        {
            await using var connection = new NpgsqlConnection(other.ConnectionString);
            await connection.OpenAsync();
            Assert.NotEqual(_database.DatabaseName, connection.Database);
        }
        finally
        {
            await other.DisposeAsync();
        }
    }
}
