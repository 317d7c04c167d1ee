using Temporalio.Activities;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

[Workflow]
public class HelloWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(string name) => Task.FromResult($"Hello, {name}!");
}

[Workflow]
public class ActivityChainWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var options = new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) };
        var first = await Workflow.ExecuteActivityAsync((TestActivities a) => a.Upper(name), options);
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(300));
        return await Workflow.ExecuteActivityAsync((TestActivities a) => a.Upper(first + "-again"), options);
    }
}

[Workflow]
public class FlakyActivityWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int failures) => Workflow.ExecuteActivityAsync(
        (TestActivities a) => a.FailTimes(failures),
        new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10), BackoffCoefficient = 1, MaximumAttempts = 5 },
        });
}

[Workflow]
public class NonRetryableActivityWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync() => Workflow.ExecuteActivityAsync(
        (TestActivities a) => a.FailNonRetryable(),
        new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(10) });
}

[Workflow]
public class SlowActivityWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.ExecuteActivityAsync(
        (TestActivities a) => a.Sleep(TimeSpan.FromSeconds(30)),
        new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromMilliseconds(500),
            RetryPolicy = new() { MaximumAttempts = 2, InitialInterval = TimeSpan.FromMilliseconds(10) },
        });
}

[Workflow]
public class HeartbeatCancelWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Workflow.CancellationToken);
        var activity = Workflow.ExecuteActivityAsync(
            (TestActivities a) => a.HeartbeatUntilCancelled(),
            new ActivityOptions
            {
                StartToCloseTimeout = TimeSpan.FromSeconds(30),
                HeartbeatTimeout = TimeSpan.FromSeconds(1),
                CancellationToken = cancel.Token,
                CancellationType = ActivityCancellationType.WaitCancellationCompleted,
            });
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(500));
        cancel.Cancel();
        try
        {
            await activity;
            return "completed";
        }
        catch (ActivityFailureException e) when (e.InnerException is CanceledFailureException)
        {
            return "cancelled";
        }
    }
}

[Workflow]
public class TimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan delay)
    {
        var before = Workflow.UtcNow;
        await Workflow.DelayAsync(delay);
        return (Workflow.UtcNow - before >= delay) ? "fired" : "early";
    }
}

[Workflow]
public class CancelTimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cancel = new CancellationTokenSource();
        var timer = Workflow.DelayAsync(TimeSpan.FromDays(1), cancel.Token);
        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(100));
        cancel.Cancel();
        try
        {
            await timer;
            return "fired";
        }
        catch (OperationCanceledException)
        {
            return "cancelled";
        }
    }
}

[Workflow]
public class SignalWorkflow
{
    private readonly List<string> _received = [];

    [WorkflowRun]
    public async Task<string> RunAsync(int expected)
    {
        await Workflow.WaitConditionAsync(() => _received.Count >= expected);
        return string.Join(",", _received);
    }

    [WorkflowSignal]
    public Task AddAsync(string value)
    {
        _received.Add(value);
        return Task.CompletedTask;
    }

    [WorkflowQuery]
    public int Count => _received.Count;
}

[Workflow]
public class WaitForeverWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.WaitConditionAsync(() => false);
}

[Workflow]
public class FailingWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => throw new ApplicationFailureException("workflow failed on purpose", "Boom");
}

[Workflow]
public class ContinueAsNewWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int remaining) => remaining == 0
        ? Task.FromResult(Workflow.Info.ContinuedRunId is null ? 0 : 42)
        : throw Workflow.CreateContinueAsNewException((ContinueAsNewWorkflow wf) => wf.RunAsync(remaining - 1));
}

[Workflow]
public class ParentWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var child = await Workflow.ExecuteChildWorkflowAsync((HelloWorkflow wf) => wf.RunAsync(name), new() { Id = $"{Workflow.Info.WorkflowId}-child" });
        try
        {
            await Workflow.ExecuteChildWorkflowAsync((FailingWorkflow wf) => wf.RunAsync(), new() { Id = $"{Workflow.Info.WorkflowId}-failing" });
        }
        catch (ChildWorkflowFailureException e) when (e.InnerException is ApplicationFailureException { ErrorType: "Boom" })
        {
            return child + " + child failure seen";
        }
        return child;
    }
}

[Workflow]
public class ExternalSignalWorkflow
{
    [WorkflowRun]
    public async Task RunAsync(string targetId)
    {
        await Workflow.GetExternalWorkflowHandle<SignalWorkflow>(targetId).SignalAsync(wf => wf.AddAsync("from-workflow"));
    }
}

[Workflow]
public class EscalationWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        var steps = 0;
        foreach (var delay in new[] { TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(17) })
        {
            await Workflow.DelayAsync(delay);
            steps++;
        }
        return steps;
    }
}

public class TestActivities
{
    private int _attempts;

    [Activity]
    public string Upper(string value) => value.ToUpperInvariant();

    [Activity]
    public int FailTimes(int failures)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        Interlocked.Increment(ref _attempts);
        return attempt <= failures ? throw new InvalidOperationException($"attempt {attempt} fails") : attempt;
    }

    [Activity]
    public int FailNonRetryable()
    {
        Interlocked.Increment(ref _attempts);
        throw new ApplicationFailureException("do not retry", "Fatal", nonRetryable: true);
    }

    public int Attempts => _attempts;

    [Activity]
    public string CompleteLater() => throw new CompleteAsyncException();

    [Activity]
    public Task Sleep(TimeSpan duration) => Task.Delay(duration, ActivityExecutionContext.Current.CancellationToken);

    [Activity]
    public async Task HeartbeatUntilCancelled()
    {
        var context = ActivityExecutionContext.Current;
        while (true)
        {
            context.Heartbeat();
            await Task.Delay(100, context.CancellationToken);
        }
    }
}

[Workflow]
public class UpsertStatusWorkflow
{
    public static readonly SearchAttributeKey<string> Status = SearchAttributeKey.CreateKeyword("PaymentStatus");

    [WorkflowRun]
    public Task RunAsync(string status)
    {
        Workflow.UpsertTypedSearchAttributes(Status.ValueSet(status));
        Workflow.UpsertMemo(MemoUpdate.ValueSet("note", status));
        return Task.CompletedTask;
    }
}

[Workflow]
public class PatchedWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() => Task.FromResult(Workflow.Patched("v2") ? "v2" : "v1");
}

[Workflow]
public class WaitOrTimeoutWorkflow
{
    private bool _released;

    [WorkflowRun]
    public async Task<string> RunAsync(TimeSpan timeout) =>
        await Workflow.WaitConditionAsync(() => _released, timeout) ? "signalled" : "timed out";

    [WorkflowSignal]
    public Task ReleaseAsync()
    {
        _released = true;
        return Task.CompletedTask;
    }
}

[Workflow]
public class AbandoningParentWorkflow
{
    [WorkflowRun]
    public async Task RunAsync(string childId, bool abandon)
    {
        await Workflow.StartChildWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new()
        {
            Id = childId,
            ParentClosePolicy = abandon ? ParentClosePolicy.Abandon : ParentClosePolicy.Terminate,
        });
        await Workflow.WaitConditionAsync(() => false);
    }
}

[Workflow]
public class AsyncCompletionWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() => Workflow.ExecuteActivityAsync(
        (TestActivities a) => a.CompleteLater(),
        new ActivityOptions { StartToCloseTimeout = TimeSpan.FromMinutes(1), ActivityId = "async-activity" });
}

[Workflow]
public class HeartbeatTimeoutWorkflow
{
    [WorkflowRun]
    public Task RunAsync() => Workflow.ExecuteActivityAsync(
        (TestActivities a) => a.Sleep(TimeSpan.FromSeconds(30)),
        new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromMinutes(1),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(300),
            RetryPolicy = new() { MaximumAttempts = 1 },
        });
}

[Workflow]
public class UpdatableWorkflow
{
    private int _total;
    private bool _done;

    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        await Workflow.WaitConditionAsync(() => _done);
        return _total;
    }

    [WorkflowUpdate]
    public Task<int> AddAsync(int amount)
    {
        _total += amount;
        return Task.FromResult(_total);
    }

    [WorkflowUpdateValidator(nameof(AddAsync))]
    public void ValidateAdd(int amount)
    {
        if (amount < 0)
        {
            throw new ApplicationFailureException("amount must not be negative");
        }
    }

    [WorkflowSignal]
    public Task FinishAsync()
    {
        _done = true;
        return Task.CompletedTask;
    }
}

[Workflow]
public class CancelChildWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        using var cancel = new CancellationTokenSource();
        var child = await Workflow.StartChildWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new()
        {
            Id = $"{Workflow.Info.WorkflowId}-child",
            CancellationToken = cancel.Token,
            CancellationType = ChildWorkflowCancellationType.WaitCancellationCompleted,
        });
        cancel.Cancel();
        try
        {
            await child.GetResultAsync();
            return "completed";
        }
        catch (ChildWorkflowFailureException e) when (e.InnerException is CanceledFailureException)
        {
            return "child cancelled";
        }
    }
}

[Workflow]
public class SlowRetryWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int failures) => Workflow.ExecuteActivityAsync(
        (TestActivities a) => a.FailTimes(failures),
        new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(10),
            RetryPolicy = new() { InitialInterval = TimeSpan.FromHours(1), BackoffCoefficient = 2 },
        });
}

[Workflow]
public class RetriedWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int failures) => Workflow.Info.Attempt <= failures
        ? throw new ApplicationFailureException($"attempt {Workflow.Info.Attempt} fails")
        : Task.FromResult(Workflow.Info.Attempt);
}

/// <summary>An activity that hangs on the worker built with <c>hang: true</c> and passes on any other.</summary>
public class GateActivities(bool hang)
{
    [Activity]
    public async Task<string> PassAsync()
    {
        if (hang)
        {
            await Task.Delay(Timeout.Infinite, ActivityExecutionContext.Current.CancellationToken);
        }
        return $"passed on attempt {ActivityExecutionContext.Current.Info.Attempt}";
    }
}

[Workflow]
public class GateWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync() => Workflow.ExecuteActivityAsync(
        (GateActivities a) => a.PassAsync(),
        new ActivityOptions { StartToCloseTimeout = TimeSpan.FromSeconds(2), RetryPolicy = new() { InitialInterval = TimeSpan.FromMilliseconds(10) } });
}

[Workflow]
public class UnfinishedUpdateWorkflow
{
    private bool _done;

    [WorkflowRun]
    public Task RunAsync() => Workflow.WaitConditionAsync(() => _done);

    [WorkflowUpdate(UnfinishedPolicy = HandlerUnfinishedPolicy.Abandon)]
    public Task WaitForeverAsync() => Workflow.WaitConditionAsync(() => false);

    [WorkflowSignal]
    public Task FinishAsync()
    {
        _done = true;
        return Task.CompletedTask;
    }
}
