using Temporalio.Activities;
using Temporalio.Api.Workflow.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>A workflow that runs one activity, named by its argument, with a retry interval the spec chooses.</summary>
[Workflow]
public class OneActivityWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string activity, TimeSpan retryInterval) =>
        Workflow.ExecuteActivityAsync<string>(activity, [], new()
        {
            ActivityId = "controlled",
            StartToCloseTimeout = TimeSpan.FromMinutes(5),
            HeartbeatTimeout = TimeSpan.FromSeconds(2),
            RetryPolicy = new RetryPolicy { InitialInterval = retryInterval, BackoffCoefficient = 1 },
        });
}

/// <summary>Activities an operator pauses, resets or reconfigures from a spec; each records what it saw.</summary>
public sealed class ControlledActivities
{
    private readonly List<int> _attempts = [];

    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ActivityCancelReason CancelReason { get; private set; }

    public bool Failing { get; set; } = true;

    public IReadOnlyList<int> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>The first attempt heartbeats until the server stops it; a later one returns its attempt.</summary>
    [Activity]
    public async Task<string> HeartbeatUntilStoppedAsync()
    {
        var context = ActivityExecutionContext.Current;
        Record(context.Info.Attempt);
        if (context.Info.Attempt > 1)
        {
            return $"attempt {context.Info.Attempt}";
        }
        Reached.TrySetResult();
        try
        {
            while (true)
            {
                context.Heartbeat("beating");
                await Task.Delay(100, context.CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            CancelReason = context.CancelReason;
            throw;
        }
    }

    /// <summary>Fails while <see cref="Failing"/>, then returns its attempt.</summary>
    [Activity]
    public string FailWhileFailing()
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        Record(attempt);
        Reached.TrySetResult();
        return Failing ? throw new ApplicationFailureException("still failing") : $"attempt {attempt}";
    }

    /// <summary>Heartbeats until the spec releases it, then fails.</summary>
    [Activity]
    public async Task<string> FailWhenReleasedAsync()
    {
        var context = ActivityExecutionContext.Current;
        Record(context.Info.Attempt);
        Reached.TrySetResult();
        while (!Release.Task.IsCompleted)
        {
            context.Heartbeat();
            await Task.WhenAny(Release.Task, Task.Delay(100, context.CancellationToken));
            context.CancellationToken.ThrowIfCancellationRequested();
        }
        throw new ApplicationFailureException("released to fail");
    }

    private void Record(int attempt)
    {
        lock (_attempts)
        {
            _attempts.Add(attempt);
        }
    }
}

internal static class ActivityControlling
{
    /// <summary>Describes until the workflow's one pending activity satisfies the condition; gives up after a minute.</summary>
    public static async Task<PendingActivityInfo> PendingActivityUntilAsync(this WorkflowHandle handle, Func<PendingActivityInfo, bool> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var description = await handle.Client.WorkflowService.DescribeWorkflowExecutionAsync(new()
            {
                Namespace = handle.Client.Options.Namespace,
                Execution = handle.Execution(),
            });
            if (description.PendingActivities.SingleOrDefault() is { } pending && condition(pending))
            {
                return pending;
            }
            await Task.Delay(20, patience.Token);
        }
    }

    public static Temporalio.Api.Common.V1.WorkflowExecution Execution(this WorkflowHandle handle) => new() { WorkflowId = handle.Id, RunId = handle.RunId ?? "" };
}
