using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.ErrorDetails.V1;

namespace Payments.DevServer.Tests.Http;

/// <summary>gRPC errors from the dispatcher become grpc-gateway's HTTP statuses and google.rpc.Status bodies.</summary>
public class HttpErrorTests
{
    [Theory]
    [InlineData(StatusCode.InvalidArgument, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.FailedPrecondition, HttpStatusCode.BadRequest)]
    [InlineData(StatusCode.NotFound, HttpStatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists, HttpStatusCode.Conflict)]
    [InlineData(StatusCode.PermissionDenied, HttpStatusCode.Forbidden)]
    [InlineData(StatusCode.ResourceExhausted, HttpStatusCode.TooManyRequests)]
    [InlineData(StatusCode.Unimplemented, HttpStatusCode.NotImplemented)]
    [InlineData(StatusCode.Unavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(StatusCode.DeadlineExceeded, HttpStatusCode.GatewayTimeout)]
    [InlineData(StatusCode.Internal, HttpStatusCode.InternalServerError)]
    public async Task Dispatcher_Throws_HttpStatusAndBodyCarryTheCode(StatusCode code, HttpStatusCode expected)
    {
        await using var host = await HttpApiHost.StartAsync((_, _, _) => throw new RpcException(new Status(code, "it went wrong")));

        var response = await host.Client.GetAsync("/api/v1/namespaces/default");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal((int)code, json.GetProperty("code").GetInt32());
        Assert.Equal("it went wrong", json.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Dispatcher_ThrowsWithTemporalDetails_DetailsAreTypedJson()
    {
        var details = new NotFoundFailure { CurrentCluster = "active", ActiveCluster = "active" };
        await using var host = await HttpApiHost.StartAsync((_, _, _) => throw WithDetails(StatusCode.NotFound, "workflow not found", details));

        var response = await host.Client.GetAsync("/api/v1/namespaces/default/workflows/nobody");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var detail = json.GetProperty("details").EnumerateArray().Single();
        Assert.Equal("type.googleapis.com/temporal.api.errordetails.v1.NotFoundFailure", detail.GetProperty("@type").GetString());
        Assert.Equal("active", detail.GetProperty("currentCluster").GetString());
    }

    /// <summary>A gRPC error as Temporal sends it: google.rpc.Status (code 1, message 2, details 3) in the status-details trailer.</summary>
    private static RpcException WithDetails(StatusCode code, string message, IMessage detail)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32((int)code);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString(message);
        output.WriteTag(3, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(Any.Pack(detail));
        output.Flush();
        return new RpcException(new Status(code, message), new Metadata { { "grpc-status-details-bin", buffer.ToArray() } });
    }
}
