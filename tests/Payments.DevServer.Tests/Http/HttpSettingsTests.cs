using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;

namespace Payments.DevServer.Tests.Http;

/// <summary>GET /api/v1/settings, which the Temporal UI reads before anything else.</summary>
public class HttpSettingsTests
{
    [Fact]
    public async Task Settings_Get_AnswersPascalCaseWithVersion()
    {
        await using var host = await HttpApiHost.StartAsync((_, _, _) => throw new RpcException(new Status(StatusCode.Unimplemented, "none")));

        var response = await host.Client.GetAsync("/api/v1/settings");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2.38.0", json.GetProperty("Version").GetString());
        Assert.Equal("default", json.GetProperty("DefaultNamespace").GetString());
        Assert.False(json.GetProperty("Auth").GetProperty("Enabled").GetBoolean());
        Assert.Equal(string.Empty, json.GetProperty("Codec").GetProperty("Endpoint").GetString());
        Assert.False(json.GetProperty("DisableWriteActions").GetBoolean());
        Assert.True(json.GetProperty("BatchActionsDisabled").GetBoolean());
        Assert.All(["WorkflowSignalDisabled", "WorkflowCancelDisabled", "WorkflowTerminateDisabled", "WorkflowResetDisabled"],
            action => Assert.False(json.GetProperty(action).GetBoolean()));
    }
}
