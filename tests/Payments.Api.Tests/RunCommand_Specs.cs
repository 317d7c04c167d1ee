using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Payments.Api.Tests;

public sealed partial class RunCommand_Specs
{
    [Fact]
    public async Task Start_WithNoAddressesConfigured_IsLiveAndReadyOnItsOwnPostgres()
    {
        await using var api = await ApiProcess.StartAsync();
        using var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        Assert.True(File.Exists(Path.Combine(api.DataFolder, "postgres", "data", "PG_VERSION")));
    }

    [Fact]
    public async Task Stop_Gracefully_StopsItsPostgres()
    {
        var api = await ApiProcess.StartAsync();
        await using (api)
        {
            await api.StopAsync();
        }

        Assert.False(File.Exists(Path.Combine(api.DataFolder, "postgres", "data", "postmaster.pid")));
    }

    [Fact]
    public async Task Start_Twice_PrintsOneStartupBlockAndKeepsThePostgresPort()
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), $"payments-api-{Guid.NewGuid():N}");
        try
        {
            var first = await StartupBlockAsync(dataFolder);
            var second = await StartupBlockAsync(dataFolder);

            Assert.Matches(@"API:\s+http://127\.0\.0\.1:\d+", first);
            Assert.Matches(@"Temporal UI:\s+http://127\.0\.0\.1:\d+", first);
            Assert.Matches(@"Temporal:\s+127\.0\.0\.1:\d+", first);
            Assert.Contains($"Data folder:  {dataFolder}", first, StringComparison.Ordinal);
            Assert.Equal(PostgresPort().Match(first).Value, PostgresPort().Match(second).Value);
            Assert.NotEmpty(PostgresPort().Match(first).Value);
        }
        finally
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_UiPortTaken_StopsNamingTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ApiProcess.StartAsync(settings: new Dictionary<string, string> { ["Embedded__UiPort"] = $"{port}" }));

        Assert.Contains($"Port {port} is already in use", error.Message, StringComparison.Ordinal);
        Assert.Contains("Embedded:UiPort", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> StartupBlockAsync(string dataFolder)
    {
        await using var api = await ApiProcess.StartAsync(dataFolder);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!api.Output.Contains("Data folder:", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var output = api.Output;
        var start = output.IndexOf("Payments is running", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no start-up block in:{Environment.NewLine}{output}");
        return output[start..];
    }

    [GeneratedRegex(@"PostgreSQL:\s+Host=127\.0\.0\.1;Port=\d+")]
    private static partial Regex PostgresPort();
}
