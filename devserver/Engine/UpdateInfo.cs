using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.Update.V1;

namespace Payments.DevServer.Engine;

/// <summary>One workflow update: admitted, delivered to the worker with each workflow task until it is accepted or rejected, then completed.</summary>
internal sealed class UpdateInfo(string id, Request request, bool admittedInHistory = false)
{
    public string Id { get; } = id;

    public Request Request { get; } = request;

    /// <summary>Admitted by an event (a reset re-applied it): the worker reads the request there, not in a message.</summary>
    public bool AdmittedInHistory { get; } = admittedInHistory;

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

    /// <summary>
    /// The run closed before the update finished. An accepted update completes with Temporal's
    /// AcceptedUpdateCompletedWorkflow failure; one not yet accepted is gone, and its waiters get Temporal's error.
    /// </summary>
    public void EndWithRun()
    {
        if (Stage == UpdateWorkflowExecutionLifecycleStage.Accepted)
        {
            Complete(new Outcome { Failure = AcceptedUpdateCompletedWorkflow });
            return;
        }
        Accepted.TrySetException(TemporalErrors.AlreadyCompleted());
        Completed.TrySetException(TemporalErrors.AlreadyCompleted());
    }

    private static readonly Failure AcceptedUpdateCompletedWorkflow = new()
    {
        Message = "Workflow Update failed because the Workflow completed before the Update completed.",
        ApplicationFailureInfo = new ApplicationFailureInfo { Type = "AcceptedUpdateCompletedWorkflow", NonRetryable = true },
    };
}
