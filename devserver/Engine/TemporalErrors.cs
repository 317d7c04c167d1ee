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

    /// <summary>
    /// Temporal's failure of a multi-operation call: the failed operation's own status, every other one Aborted, and the
    /// call's code that of the failed operation.
    /// </summary>
    public static RpcException MultiOperation(RpcException failed, int failedIndex, int operationCount)
    {
        var failure = new MultiOperationExecutionFailure();
        for (var index = 0; index < operationCount; index++)
        {
            var status = new MultiOperationExecutionFailure.Types.OperationStatus();
            if (index == failedIndex)
            {
                status.Code = (int)failed.StatusCode;
                status.Message = failed.Status.Detail;
                status.Details.AddRange(StatusOf(failed)?.Details ?? []);
            }
            else
            {
                status.Code = (int)StatusCode.Aborted;
                status.Message = "Operation was aborted.";
                status.Details.Add(Any.Pack(new Temporalio.Api.Failure.V1.MultiOperationExecutionAborted()));
            }
            failure.Statuses.Add(status);
        }
        return WithDetail(failed.StatusCode, "Update-with-Start could not be executed.", failure);
    }

    private static GrpcStatus? StatusOf(RpcException error) =>
        error.Trailers.GetValueBytes("grpc-status-details-bin") is { } bytes ? GrpcStatus.Parser.ParseFrom(bytes) : null;

    public static RpcException WithDetail(StatusCode code, string message, IMessage detail)
    {
        var status = new GrpcStatus { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(detail));
        var trailers = new Metadata { { "grpc-status-details-bin", status.ToByteArray() } };
        return new RpcException(new Status(code, message), trailers, message);
    }
}
