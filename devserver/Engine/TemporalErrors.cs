using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Temporalio.Api.Common.V1;
using Temporalio.Api.ErrorDetails.V1;

namespace Payments.DevServer.Engine;

/// <summary>The gRPC errors Temporal's frontend returns, with the failure details the SDK unpacks.</summary>
internal static class TemporalErrors
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) =>
        WithDetail(StatusCode.NotFound, message, new NotFoundFailure());

    public static RpcException NamespaceNotFound(string name) =>
        WithDetail(StatusCode.NotFound, $"Namespace {name} is not found.", new NamespaceNotFoundFailure { Namespace = name });

    public static RpcException WorkflowNotFound(string workflowId, string? runId) =>
        NotFound($"workflow execution not found for workflow ID \"{workflowId}\" and run ID \"{runId}\"");

    public static RpcException AlreadyCompleted() => NotFound("workflow execution already completed");

    public static RpcException AlreadyStarted(string message, string requestId, string runId) =>
        WithDetail(StatusCode.AlreadyExists, message, new WorkflowExecutionAlreadyStartedFailure { StartRequestId = requestId, RunId = runId });

    public static RpcException QueryFailed(string message) =>
        WithDetail(StatusCode.InvalidArgument, message, new QueryFailedFailure());

    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    private static RpcException WithDetail(StatusCode code, string message, IMessage detail)
    {
        var status = new GrpcStatus { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(detail));
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Status(code, message), trailers, message);
    }
}
