using Temporalio.Activities;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.Update.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>
/// An operator's decision (an update whose handler runs local activities, after which the workflow schedules an
/// activity — the payment's REFUND) is taken however it meets the workflow's tasks: admitted while the task that makes
/// it acceptable still runs its local step, sent to an idle workflow whose handler outlives the task timeout, or sent
/// again under the same update id after the workflow rejected it (a rejection leaves no trace, as on Temporal).
/// </summary>
[Collection(InProcessGroup.Name)]
public class UpdateDuringLocalActivity_Specs(InProcessServerFixture server)
{
    /// <summary>How long the caller waits for an answer before the spec fails rather than hangs.</summary>
    private static readonly TimeSpan AnswerPatience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task UpdateAdmitted_WhileTheSuspendingTaskRuns_HandlerRunsAndTheRefundIsScheduled()
    {
        var activities = new DecisionActivities(holdSuspend: true);
        var (decided, result) = await RunAsync(activities, TimeSpan.FromSeconds(10), async handle =>
        {
            await activities.Suspended.Task;
            var updateId = Guid.NewGuid().ToString();
            await AdmitAsync(handle, updateId, "refund");
            activities.Release.TrySetResult();
            using var patience = new CancellationTokenSource(AnswerPatience);
            return await handle.GetUpdateHandle<string>(updateId).GetResultAsync(new() { CancellationToken = patience.Token });
        });

        Assert.Equal(("refund", "refunded after refund"), (decided, result));
    }

    [Fact]
    public async Task ExecuteUpdate_ToAnIdleWorkflowWhoseHandlerOutlivesTheTaskTimeout_HandlerRunsAndTheRefundIsScheduled()
    {
        // Past the 2 s task timeout: the worker heartbeats the speculative task while the handler's local step runs.
        var activities = new DecisionActivities(recordTakes: TimeSpan.FromSeconds(3));
        var (decided, result) = await RunAsync(activities, TimeSpan.FromSeconds(2), async handle =>
        {
            await activities.Suspended.Task;
            Assert.True(await handle.QueryAsync(wf => wf.Waiting));
            return await DecideAsync(handle, "refund", Guid.NewGuid().ToString());
        });

        Assert.Equal(("refund", "refunded after refund"), (decided, result));
    }

    [Fact]
    public async Task ExecuteUpdate_SameIdAfterItsRejection_IsANewUpdateTheWaitingWorkflowTakes()
    {
        var activities = new DecisionActivities();
        var updateId = "";
        var (decided, result) = await RunAsync(activities, TimeSpan.FromSeconds(2), async handle =>
        {
            using var patience = new CancellationTokenSource(AnswerPatience);
            var rejected = await Assert.ThrowsAsync<WorkflowUpdateFailedException>(
                () => handle.GetUpdateHandle<string>(updateId).GetResultAsync(new() { CancellationToken = patience.Token }));
            Assert.Contains("not waiting", rejected.InnerException!.Message);
            await activities.Suspended.Task;
            Assert.True(await handle.QueryAsync(wf => wf.Waiting));
            // The operator decides again in the same round, so under the same update id.
            return await DecideAsync(handle, "refund", updateId);
        }, beforeWorker: async handle =>
        {
            // The decision lands in a task whose worker is gone: the next attempt replays from the start, where the
            // workflow does not wait for a decision yet, and rejects it.
            var abandoned = await server.Client.WorkflowService.PollWorkflowTaskQueueAsync(new PollWorkflowTaskQueueRequest
            {
                Namespace = server.Client.Options.Namespace,
                TaskQueue = new TaskQueue { Name = handle.Id },
                Identity = "crashing-worker",
            });
            Assert.Equal(1, abandoned.Attempt);
            updateId = $"resolve-{handle.Id}-1";
            await AdmitAsync(handle, updateId, "refund");
        });

        Assert.Equal(("refund", "refunded after refund"), (decided, result));
    }

    /// <summary>Starts the workflow (its id is its queue's name), then decides it as <paramref name="decide"/> says under a worker; answers the decision and the result.</summary>
    private async Task<(string Decided, string Result)> RunAsync(
        DecisionActivities activities, TimeSpan taskTimeout, Func<WorkflowHandle<OperatorDecisionWorkflow>, Task<string>> decide,
        Func<WorkflowHandle<OperatorDecisionWorkflow>, Task>? beforeWorker = null)
    {
        var queue = TestQueues.Unique();
        var handle = await server.Client.StartWorkflowAsync((OperatorDecisionWorkflow wf) => wf.RunAsync(), new(queue, queue) { TaskTimeout = taskTimeout });
        if (beforeWorker is not null)
        {
            await beforeWorker(handle);
        }
        using var worker = new TemporalWorker(server.Client, new TemporalWorkerOptions(queue)
            .AddWorkflow<OperatorDecisionWorkflow>()
            .AddAllActivities(activities));
        return await worker.ExecuteAsync(async () => (await decide(handle), await handle.GetResultAsync()));
    }

    /// <summary>Sends the update and returns once the server admitted it (the SDK's client waits for acceptance at least).</summary>
    private Task AdmitAsync(WorkflowHandle handle, string updateId, string decision) =>
        server.Client.WorkflowService.UpdateWorkflowExecutionAsync(new UpdateWorkflowExecutionRequest
        {
            Namespace = server.Client.Options.Namespace,
            WorkflowExecution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id },
            WaitPolicy = new WaitPolicy { LifecycleStage = UpdateWorkflowExecutionLifecycleStage.Admitted },
            Request = new Request
            {
                Meta = new Meta { UpdateId = updateId, Identity = "operator" },
                Input = new Input { Name = "Decide", Args = new Payloads { Payloads_ = { server.Client.Options.DataConverter.PayloadConverter.ToPayload(decision) } } },
            },
        });

    private static async Task<string> DecideAsync(WorkflowHandle<OperatorDecisionWorkflow> handle, string decision, string updateId)
    {
        using var patience = new CancellationTokenSource(AnswerPatience);
        try
        {
            return await handle.ExecuteUpdateAsync(
                wf => wf.DecideAsync(decision),
                new WorkflowUpdateOptions(updateId) { Rpc = new() { CancellationToken = patience.Token } });
        }
        catch (Exception e) when (patience.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The update was not answered within {AnswerPatience}: it was admitted but never taken.", e);
        }
    }
}

/// <summary>The payment's shape: a local step suspends it, an operator's update records a decision locally, then an activity refunds.</summary>
[Workflow]
public class OperatorDecisionWorkflow
{
    private static readonly LocalActivityOptions LocalStep = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    private string? _decision;

    [WorkflowQuery]
    public bool Waiting { get; private set; }

    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        await Workflow.ExecuteLocalActivityAsync((DecisionActivities a) => a.SuspendAsync(), LocalStep);
        Waiting = true;
        await Workflow.WaitConditionAsync(() => _decision is not null);
        return await Workflow.ExecuteActivityAsync(
            (DecisionActivities a) => a.Refund(_decision!),
            new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(30) });
    }

    [WorkflowUpdateValidator(nameof(DecideAsync))]
    public void ValidateDecision(string decision)
    {
        if (!Waiting)
        {
            throw new InvalidOperationException("not waiting for a decision");
        }
    }

    [WorkflowUpdate]
    public async Task<string> DecideAsync(string decision)
    {
        Waiting = false;
        await Workflow.ExecuteLocalActivityAsync((DecisionActivities a) => a.RecordAsync(decision), LocalStep);
        await Workflow.ExecuteLocalActivityAsync((DecisionActivities a) => a.RecordAsync(decision), LocalStep);
        _decision = decision;
        return decision;
    }
}

/// <summary>
/// The local step that suspends says so once it has (what the operator reads), and with <c>holdSuspend</c> waits for
/// <see cref="Release"/>, so that its workflow task is still running when the update arrives.
/// </summary>
public class DecisionActivities(bool holdSuspend = false, TimeSpan recordTakes = default)
{
    public TaskCompletionSource Suspended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Activity]
    public async Task SuspendAsync()
    {
        Suspended.TrySetResult();
        if (holdSuspend)
        {
            await Release.Task.WaitAsync(ActivityExecutionContext.Current.CancellationToken);
        }
    }

    [Activity]
    public async Task<string> RecordAsync(string decision)
    {
        await Task.Delay(recordTakes, ActivityExecutionContext.Current.CancellationToken);
        return decision;
    }

    [Activity]
    public string Refund(string decision) => $"refunded after {decision}";
}
