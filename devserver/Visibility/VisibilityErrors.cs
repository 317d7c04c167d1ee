using Grpc.Core;

namespace Payments.DevServer.Visibility;

/// <summary>The gRPC errors visibility answers with, worded as Temporal's frontend words them.</summary>
internal static class VisibilityErrors
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException AlreadyExists(string message) => new(new Status(StatusCode.AlreadyExists, message));

    /// <summary>Temporal prefixes every query-conversion error with "invalid query: ".</summary>
    public static RpcException InvalidQuery(string message) => InvalidArgument($"invalid query: {message}");

    public static RpcException MalformedQuery(string detail) => InvalidQuery($"malformed SQL query: {detail}");

    public static RpcException NotSupported(string detail) => InvalidQuery($"operation is not supported: {detail}");

    public static RpcException InvalidExpression(string detail) => InvalidQuery($"invalid expression: {detail}");
}
