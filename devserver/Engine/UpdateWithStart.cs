using Grpc.Core;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Update-with-start (ExecuteMultiOperation with exactly a start and an update): both under the workflow's one lock,
/// the start following its conflict policy (use-existing lands the update on the running workflow), then the update
/// admitted to the run that start names. A refused operation fails the call as Temporal does: one status per
/// operation, the other one aborted.
/// </summary>
internal sealed class UpdateWithStart(TemporalEngine engine)
{
    private const int StartIndex = 0;
    private const int UpdateIndex = 1;

    public async Task<ExecuteMultiOperationResponse> ExecuteAsync(ExecuteMultiOperationRequest request, CancellationToken cancellationToken)
    {
        if (request.Operations.Count != 2 || request.Operations[StartIndex].StartWorkflow is not { } start || request.Operations[UpdateIndex].UpdateWorkflow is not { } update)
        {
            throw TemporalErrors.InvalidArgument("Operations have to be exactly [Start, Update].");
        }
        var spec = Guarded(StartIndex, () => engine.Lifecycle.Spec(start));
        Guarded(UpdateIndex, () => Validate(start, update));
        var chain = engine.GetNamespace(request.Namespace).GetOrAddChain(start.WorkflowId);
        var (outcome, admitted) = await engine.MutateAsync(chain, mutation =>
        {
            var started = Guarded(StartIndex, () => engine.Lifecycle.StartRun(chain, spec, mutation));
            return (started, Guarded(UpdateIndex, () => engine.Updates.Admit(started.Run, update, mutation)));
        });
        var updated = await WorkflowUpdates.RespondAsync(outcome.Run, admitted, update.WaitPolicy, cancellationToken);
        return new ExecuteMultiOperationResponse
        {
            Responses =
            {
                new ExecuteMultiOperationResponse.Types.Response { StartWorkflow = RunLifecycle.Response(outcome) },
                new ExecuteMultiOperationResponse.Types.Response { UpdateWorkflow = updated },
            },
        };
    }

    private static bool Validate(StartWorkflowExecutionRequest start, UpdateWorkflowExecutionRequest update)
    {
        WorkflowUpdates.Validate(update);
        if (update.WorkflowExecution?.WorkflowId != start.WorkflowId)
        {
            throw TemporalErrors.InvalidArgument("WorkflowId is not consistent with previous operation(s)");
        }
        if (!string.IsNullOrEmpty(update.WorkflowExecution.RunId))
        {
            throw TemporalErrors.InvalidArgument("RunId is not allowed for Update-with-Start");
        }
        return true;
    }

    /// <summary>Runs one operation's part; its refusal becomes the whole call's failure, naming the operation.</summary>
    private static T Guarded<T>(int operationIndex, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (RpcException refused)
        {
            throw TemporalErrors.MultiOperation(refused, operationIndex, 2);
        }
    }
}
