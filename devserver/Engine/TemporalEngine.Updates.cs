using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.Protocol.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Engine;

/// <summary>One workflow update: admitted, delivered to the worker with each workflow task until it is accepted or rejected, then completed.</summary>
internal sealed class UpdateInfo(string id, Request request)
{
    public string Id { get; } = id;

    public Request Request { get; } = request;

    public UpdateWorkflowExecutionLifecycleStage Stage { get; private set; } = UpdateWorkflowExecutionLifecycleStage.Admitted;

    public Outcome? Outcome { get; private set; }

    public long AcceptedEventId { get; private set; }

    /// <summary>Completes once the update is accepted, rejected or the run closed.</summary>
    public TaskCompletionSource Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the update has its outcome or the run closed.</summary>
    public TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Accept(long acceptedEventId)
    {
        Stage = UpdateWorkflowExecutionLifecycleStage.Accepted;
        AcceptedEventId = acceptedEventId;
        Accepted.TrySetResult();
    }

    public void Complete(Outcome outcome)
    {
        Stage = UpdateWorkflowExecutionLifecycleStage.Completed;
        Outcome = outcome;
        Accepted.TrySetResult();
        Completed.TrySetResult();
    }

    /// <summary>The run closed before the update finished: waiters get Temporal's error.</summary>
    public void Abandon()
    {
        Accepted.TrySetException(TemporalErrors.AlreadyCompleted());
        Completed.TrySetException(TemporalErrors.AlreadyCompleted());
    }
}

internal sealed partial class TemporalEngine
{
    public async Task<UpdateWorkflowExecutionResponse> UpdateAsync(UpdateWorkflowExecutionRequest r, CancellationToken cancellationToken)
    {
        var updateId = r.Request?.Meta?.UpdateId;
        if (string.IsNullOrEmpty(updateId) || string.IsNullOrEmpty(r.Request!.Input?.Name))
        {
            throw TemporalErrors.InvalidArgument("Update request needs an update id and a name.");
        }
        var chain = GetChain(GetNamespace(r.Namespace), r.WorkflowExecution?.WorkflowId ?? "");
        var (run, update) = await MutateAsync(chain, m =>
        {
            var x = GetRun(chain, r.WorkflowExecution!.RunId);
            if (x.Updates.TryGetValue(updateId, out var known))
            {
                return (x, known);
            }
            if (!x.IsRunning)
            {
                throw TemporalErrors.AlreadyCompleted();
            }
            var admitted = new UpdateInfo(updateId, r.Request);
            x.Updates[updateId] = admitted;
            if (x.WorkflowTask is null && x.StartBackoffTimer is null)
            {
                ScheduleWorkflowTask(x, m);
            }
            return (x, admitted);
        });
        await WaitForStageAsync(update, r.WaitPolicy, cancellationToken);
        return new UpdateWorkflowExecutionResponse
        {
            UpdateRef = new UpdateRef { WorkflowExecution = new() { WorkflowId = run.WorkflowId, RunId = run.RunId }, UpdateId = update.Id },
            Outcome = update.Outcome,
            Stage = update.Stage,
        };
    }

    public async Task<PollWorkflowExecutionUpdateResponse> PollUpdateAsync(PollWorkflowExecutionUpdateRequest r, CancellationToken cancellationToken)
    {
        var chain = GetChain(GetNamespace(r.Namespace), r.UpdateRef?.WorkflowExecution?.WorkflowId ?? "");
        UpdateInfo update;
        lock (chain)
        {
            var x = GetRun(chain, r.UpdateRef!.WorkflowExecution.RunId);
            update = x.Updates.GetValueOrDefault(r.UpdateRef.UpdateId) ?? throw TemporalErrors.NotFound($"update {r.UpdateRef.UpdateId} not found");
        }
        await WaitForStageAsync(update, r.WaitPolicy, cancellationToken);
        return new PollWorkflowExecutionUpdateResponse { Outcome = update.Outcome, Stage = update.Stage, UpdateRef = r.UpdateRef };
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
            await target.WaitAsync(PollHold, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Not there yet: the answer's stage tells the client to ask again.
        }
    }

    /// <summary>The protocol messages a workflow task carries: every update not yet accepted or rejected.</summary>
    private static IEnumerable<Message> UpdateRequestMessages(Execution x, long startedEventId) =>
        x.Updates.Values
            .Where(u => u.Stage == UpdateWorkflowExecutionLifecycleStage.Admitted)
            .Select(u => new Message
            {
                Id = $"{u.Id}/request",
                ProtocolInstanceId = u.Id,
                EventId = startedEventId - 1,
                Body = Any.Pack(u.Request),
            });

    /// <summary>Applies a worker's update message (acceptance, rejection or response) from a workflow task completion.</summary>
    private void ApplyUpdateMessage(Execution x, Message message, Mutation m)
    {
        var update = x.Updates.GetValueOrDefault(message.ProtocolInstanceId);
        if (message.Body.TryUnpack(out Acceptance acceptance))
        {
            var e = NewEvent(EventType.WorkflowExecutionUpdateAccepted);
            e.WorkflowExecutionUpdateAcceptedEventAttributes = new WorkflowExecutionUpdateAcceptedEventAttributes
            {
                ProtocolInstanceId = message.ProtocolInstanceId,
                AcceptedRequestMessageId = acceptance.AcceptedRequestMessageId,
                AcceptedRequestSequencingEventId = acceptance.AcceptedRequestSequencingEventId,
                AcceptedRequest = acceptance.AcceptedRequest ?? update?.Request,
            };
            Append(x, e, m);
        }
        else if (message.Body.TryUnpack(out Rejection rejection))
        {
            update?.Complete(new Outcome { Failure = rejection.Failure });
        }
        else if (message.Body.TryUnpack(out Response response))
        {
            var e = NewEvent(EventType.WorkflowExecutionUpdateCompleted);
            e.WorkflowExecutionUpdateCompletedEventAttributes = new WorkflowExecutionUpdateCompletedEventAttributes
            {
                Meta = response.Meta,
                AcceptedEventId = update?.AcceptedEventId ?? 0,
                Outcome = response.Outcome,
            };
            Append(x, e, m);
        }
    }
}
