using System.Diagnostics;
using Npgsql;

namespace Payments.PgCluster.Tests;

public sealed class PostgresCluster_Specs
{
    [Fact]
    public async Task StartPersistent_AfterRestart_KeepsData()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"payments-pg-persistent-{Guid.NewGuid():N}");
        try
        {
            await using (var first = await PostgresCluster.StartPersistentAsync(folder))
            {
                await first.CreateDatabaseAsync("kept");
            }
            await using var second = await PostgresCluster.StartPersistentAsync(folder);
            Assert.True(await second.DatabaseExistsAsync("kept"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StartPersistent_AfterRestart_KeepsItsPort()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"payments-pg-port-{Guid.NewGuid():N}");
        try
        {
            int firstPort;
            await using (var first = await PostgresCluster.StartPersistentAsync(folder))
            {
                firstPort = first.Port;
            }
            await using var second = await PostgresCluster.StartPersistentAsync(folder);
            Assert.Equal(firstPort, second.Port);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StartEphemeral_Disposed_StopsServerAndDeletesFolder()
    {
        var cluster = await PostgresCluster.StartEphemeralAsync();
        var connectionString = cluster.ConnectionString();

        await cluster.DisposeAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
        Assert.False(Directory.Exists(cluster.Folder));
    }

    [Fact]
    public async Task StartEphemeral_TwoAtOnce_GetDifferentPorts()
    {
        var clusters = await Task.WhenAll(PostgresCluster.StartEphemeralAsync(), PostgresCluster.StartEphemeralAsync());
        try
        {
            Assert.NotEqual(clusters[0].Port, clusters[1].Port);
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task StartEphemeral_ClusterOfDeadRun_IsStoppedAndRemoved()
    {
        var abandoned = await PostgresCluster.StartEphemeralAsync();
        File.WriteAllText(Path.Combine(abandoned.Folder, "owner"), $"{ExitedProcessId()} 0");

        await using var next = await PostgresCluster.StartEphemeralAsync();

        Assert.False(Directory.Exists(abandoned.Folder));
        await using var connection = new NpgsqlConnection(abandoned.ConnectionString());
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => connection.OpenAsync());
    }

    private static int ExitedProcessId()
    {
        using var process = Process.Start("true");
        process.WaitForExit();
        return process.Id;
    }
}
