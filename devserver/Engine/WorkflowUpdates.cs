using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Protocol.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>
/// Workflow updates: admitted by the update call, carried to the worker as protocol messages with each workflow task
/// until accepted or rejected, then completed; callers wait for the stage they asked for.
/// </summary>
internal sealed class WorkflowUpdates(TemporalEngine engine)
{
    public async Task<UpdateWorkflowExecutionResponse> UpdateAsync(UpdateWorkflowExecutionRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.WorkflowExecution?.WorkflowId ?? "");
        var (updatedRun, update) = await engine.MutateAsync(chain, mutation =>
        {
            var run = TemporalEngine.GetRun(chain, request.WorkflowExecution!.RunId);
            return (run, Admit(run, request, mutation));
        });
        return await RespondAsync(updatedRun, update, request.WaitPolicy, cancellationToken);
    }

    public static void Validate(UpdateWorkflowExecutionRequest request)
    {
        if (string.IsNullOrEmpty(request.Request?.Meta?.UpdateId) || string.IsNullOrEmpty(request.Request.Input?.Name))
        {
            throw TemporalErrors.InvalidArgument("Update request needs an update id and a name.");
        }
    }

    /// <summary>
    /// Admits the update to the run (once per update id while it is in flight or after it was accepted) and gives the
    /// worker a task to see it. Call under the chain's lock.
    /// </summary>
    public UpdateInfo Admit(Execution run, UpdateWorkflowExecutionRequest request, Mutation mutation)
    {
        var updateId = request.Request.Meta.UpdateId;
        if (run.Updates.TryGetValue(updateId, out var known))
        {
            return known;
        }
        if (!run.IsRunning)
        {
            throw TemporalErrors.AlreadyCompleted();
        }
        var admitted = new UpdateInfo(updateId, request.Request);
        run.Updates[updateId] = admitted;
        if (run.WorkflowTask is null && run.Armed.WorkflowTaskDelay is null)
        {
            engine.WorkflowTasks.ScheduleForUpdate(run, mutation);
        }
        return admitted;
    }

    /// <summary>The update call's answer once the update reached the stage asked for (or the hold passed).</summary>
    public static async Task<UpdateWorkflowExecutionResponse> RespondAsync(Execution run, UpdateInfo update, WaitPolicy? policy, CancellationToken cancellationToken)
    {
        await WaitForStageAsync(update, policy, cancellationToken);
        return new UpdateWorkflowExecutionResponse
        {
            UpdateRef = new UpdateRef { WorkflowExecution = new() { WorkflowId = run.WorkflowId, RunId = run.RunId }, UpdateId = update.Id },
            Outcome = update.Outcome,
            Stage = update.Stage,
        };
    }

    public async Task<PollWorkflowExecutionUpdateResponse> PollAsync(PollWorkflowExecutionUpdateRequest request, CancellationToken cancellationToken)
    {
        var chain = TemporalEngine.GetChain(engine.GetNamespace(request.Namespace), request.UpdateRef?.WorkflowExecution?.WorkflowId ?? "");
        UpdateInfo update;
        lock (chain)
        {
            var run = TemporalEngine.GetRun(chain, request.UpdateRef!.WorkflowExecution.RunId);
            update = run.Updates.GetValueOrDefault(request.UpdateRef.UpdateId) ?? throw TemporalErrors.NotFound($"update {request.UpdateRef.UpdateId} not found");
        }
        await WaitForStageAsync(update, request.WaitPolicy, cancellationToken);
        return new PollWorkflowExecutionUpdateResponse { Outcome = update.Outcome, Stage = update.Stage, UpdateRef = request.UpdateRef };
    }

    /// <summary>Waits (at most a long-poll hold) for the stage the caller asked for; the answer carries the stage reached.</summary>
    private static async Task WaitForStageAsync(UpdateInfo update, WaitPolicy? policy, CancellationToken cancellationToken)
    {
        var target = policy?.LifecycleStage == UpdateWorkflowExecutionLifecycleStage.Completed ? update.Completed.Task : update.Accepted.Task;
        if (policy?.LifecycleStage == UpdateWorkflowExecutionLifecycleStage.Admitted)
        {
            return;
        }
        try
        {
            await target.WaitAsync(TemporalEngine.PollHold, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not there yet: the answer's stage tells the client to ask again.
        }
    }

    /// <summary>The updates the worker has still to answer, each delivered as a request message with every workflow task.</summary>
    public static IEnumerable<UpdateInfo> AwaitingDelivery(Execution run) =>
        run.Updates.Values.Where(update => update.Stage == UpdateWorkflowExecutionLifecycleStage.Admitted && !update.AdmittedInHistory);

    /// <summary>The protocol messages a workflow task carries: every update not yet accepted or rejected.</summary>
    public static IEnumerable<Message> RequestMessages(Execution run, long startedEventId) =>
        AwaitingDelivery(run)
            .Select(update => new Message
            {
                Id = $"{update.Id}/request",
                ProtocolInstanceId = update.Id,
                EventId = startedEventId - 1,
                Body = Any.Pack(update.Request),
            });

    /// <summary>Applies a worker's update message (acceptance, rejection or response) from a workflow task completion.</summary>
    public void ApplyMessage(Execution run, Message message, Mutation mutation)
    {
        var update = run.Updates.GetValueOrDefault(message.ProtocolInstanceId);
        if (message.Body.TryUnpack(out Acceptance acceptance))
        {
            HistoryWriter.Append(run, engine.Events.WorkflowExecutionUpdateAccepted(new WorkflowExecutionUpdateAcceptedEventAttributes
            {
                ProtocolInstanceId = message.ProtocolInstanceId,
                AcceptedRequestMessageId = acceptance.AcceptedRequestMessageId,
                AcceptedRequestSequencingEventId = acceptance.AcceptedRequestSequencingEventId,
                // As in Temporal, an update admitted by an event has its request there, not again here.
                AcceptedRequest = update?.AdmittedInHistory == true ? null : acceptance.AcceptedRequest ?? update?.Request,
            }), mutation);
        }
        else if (message.Body.TryUnpack(out Rejection rejection))
        {
            // As in Temporal, a rejection leaves no trace: its waiters get it, and the same update id sent again (a
            // retried decision once the workflow would take it) is a new update, not this rejection replayed.
            update?.Complete(new Outcome { Failure = rejection.Failure });
            run.Updates.Remove(message.ProtocolInstanceId);
        }
        else if (message.Body.TryUnpack(out Response response))
        {
            HistoryWriter.Append(run, engine.Events.WorkflowExecutionUpdateCompleted(new WorkflowExecutionUpdateCompletedEventAttributes
            {
                Meta = response.Meta,
                AcceptedEventId = update?.AcceptedEventId ?? 0,
                Outcome = response.Outcome,
            }), mutation);
        }
    }
}
