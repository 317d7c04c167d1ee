using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace Payments.DevServer.Http;

/// <summary>
/// Writes a gRPC error as grpc-gateway does: the HTTP status that maps the gRPC code, and a google.rpc.Status
/// JSON body {"code", "message", "details"} whose details carry Temporal's error details (e.g. NotFound's).
/// </summary>
internal static class HttpErrorResponse
{
    private const string DetailsTrailer = "grpc-status-details-bin";

    public static Task WriteAsync(HttpContext context, RpcException error)
    {
        var details = error.Trailers.GetValueBytes(DetailsTrailer) is { } bytes ? ReadDetails(bytes) : [];
        return WriteAsync(context, error.StatusCode, error.Status.Detail, details);
    }

    public static async Task WriteAsync(HttpContext context, StatusCode code, string message, IReadOnlyList<Any> details)
    {
        var json = new StringBuilder();
        json.Append("{\"code\":").Append((int)code)
            .Append(",\"message\":").Append(System.Text.Json.JsonSerializer.Serialize(message))
            .Append(",\"details\":[").AppendJoin(',', details.Select(detail => TemporalJson.Formatter.Format(detail))).Append("]}");
        context.Response.StatusCode = HttpStatusFor(code);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToString(), context.RequestAborted);
    }

    /// <summary>grpc-gateway's HTTPStatusFromCode.</summary>
    public static int HttpStatusFor(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => 499,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>Reads the details (field 3, repeated Any) of a serialized google.rpc.Status; the code and message come from the exception.</summary>
    private static List<Any> ReadDetails(byte[] status)
    {
        var details = new List<Any>();
        var input = new CodedInputStream(status);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 3 && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                var detail = new Any();
                input.ReadMessage(detail);
                details.Add(detail);
            }
            else
            {
                input.SkipLastField();
            }
        }
        return details;
    }
}
