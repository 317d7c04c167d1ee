using System.Net;

namespace Payments.Api.Tests;

public sealed class RunCommand_Specs
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
}
