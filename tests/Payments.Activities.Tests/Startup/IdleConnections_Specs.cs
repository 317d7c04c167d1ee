using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Payments.Activities.Database;
using Payments.Activities.Tests.Support;
using Xunit.Abstractions;

namespace Payments.Activities.Tests.Startup;

/// <summary>
/// A host's data source gives a burst's connections back once the host is quiet, also when its pool closed part of the
/// burst while the rest was in use (the chaos run checks the backends 60 s after its end).
/// </summary>
public sealed class IdleConnections_Specs(ParticipantsFixture fixture, ITestOutputHelper output) : IClassFixture<ParticipantsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Burst_HostQuietAfter_EveryBackendClosed()
    {
        var applicationName = ParticipantsFixture.NewId("idle-burst");
        using var host = await StartHostAsync(applicationName);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        var burst = await OpenAsync(dataSource, 7);
        await ReleaseAsync(burst);

        Assert.Equal(0, await BackendsOnceAtMostAsync(applicationName, 0));
        await host.StopAsync();
    }

    [Fact]
    public async Task Burst_SomeClosedWhileOthersBusy_EveryBackendClosedOnceQuiet()
    {
        var applicationName = ParticipantsFixture.NewId("idle-tail");
        using var host = await StartHostAsync(applicationName);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var burst = await OpenAsync(dataSource, 12);

        // A burst's tail: five connections come back and stay idle until the pool closes them, seven are still in use.
        await ReleaseAsync(burst.Take(5));
        Assert.Equal(7, await BackendsOnceAtMostAsync(applicationName, 7));
        await ReleaseAsync(burst.Skip(5));

        // Npgsql's pruning alone stops at the five closed ones' markers ahead of the seven: they stayed about 2 minutes.
        Assert.Equal(0, await BackendsOnceAtMostAsync(applicationName, 0));
        await host.StopAsync();
    }

    /// <summary>A started host wired as the API and the worker are, its connections named so only they are counted.</summary>
    private async Task<IHost> StartHostAsync(string applicationName)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Payments"] =
            new NpgsqlConnectionStringBuilder(fixture.ConnectionString) { ApplicationName = applicationName }.ConnectionString;
        builder.Configuration["Payments:BankSecret"] = "test-bank-secret";
        builder.Services.AddParticipantOptions(builder.Configuration).AddPaymentParticipants();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<List<NpgsqlConnection>> OpenAsync(NpgsqlDataSource dataSource, int count)
    {
        var connections = await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            var connection = await dataSource.OpenConnectionAsync();
            await SelectOneAsync(connection);
            return connection;
        }));
        return [.. connections];
    }

    private static async Task SelectOneAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync();
    }

    private static async Task ReleaseAsync(IEnumerable<NpgsqlConnection> connections)
    {
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>The backends named <paramref name="applicationName"/>, looked at every second until at most <paramref name="limit"/> or patience runs out.</summary>
    private async Task<long> BackendsOnceAtMostAsync(string applicationName, long limit)
    {
        var start = DateTimeOffset.UtcNow;
        var backends = await CountBackendsAsync(applicationName);
        while (backends > limit && DateTimeOffset.UtcNow - start < Patience)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            backends = await CountBackendsAsync(applicationName);
        }
        output.WriteLine($"{backends} backends after {(DateTimeOffset.UtcNow - start).TotalSeconds:F0} s");
        return backends;
    }

    private async Task<long> CountBackendsAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(DatabaseOptions.Unpooled(fixture.ConnectionString));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", connection);
        command.Parameters.AddWithValue("name", applicationName);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
