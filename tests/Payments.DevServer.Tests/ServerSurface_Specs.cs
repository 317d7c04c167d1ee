using Temporalio.Client;

namespace Payments.DevServer.Tests;

/// <summary>What a client learns of the server itself: its health.</summary>
[Collection(InProcessGroup.Name)]
public class ServerSurface_Specs(InProcessServerFixture server)
{
    [Fact]
    public async Task CheckHealth_RunningServer_IsServing()
    {
        Assert.True(await server.Client.Connection.CheckHealthAsync());
    }
}
