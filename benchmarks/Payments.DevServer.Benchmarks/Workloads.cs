using Temporalio.Activities;
using Temporalio.Workflows;

namespace Payments.DevServer.Benchmarks;

/// <summary>The cheapest possible workflow: one workflow task, no commands but completion.</summary>
[Workflow]
public class TrivialWorkflow
{
    [WorkflowRun]
    public Task<int> RunAsync(int input) => Task.FromResult(input);
}

/// <summary>Three activities in sequence: four workflow tasks and three activity tasks per run.</summary>
[Workflow]
public class ThreeActivitiesWorkflow
{
    private static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromSeconds(30) };

    [WorkflowRun]
    public async Task<int> RunAsync(int input)
    {
        var value = input;
        for (var step = 0; step < 3; step++)
        {
            value = await Workflow.ExecuteActivityAsync((BenchmarkActivities a) => a.Increment(value), Options);
        }
        return value;
    }
}

/// <summary>Starts a day-long timer and waits on it: the idle workflow whose server-side cost we measure.</summary>
[Workflow]
public class IdleTimerWorkflow
{
    private static int _timersStarted;

    /// <summary>First executions seen by this process's worker (replays excluded), so the benchmark knows when every timer is asked for.</summary>
    public static int TimersStarted => Volatile.Read(ref _timersStarted);

    [WorkflowRun]
    public async Task RunAsync()
    {
        var timer = Workflow.DelayAsync(TimeSpan.FromDays(1));
        if (!Workflow.Unsafe.IsReplaying)
        {
            Interlocked.Increment(ref _timersStarted);
        }
        await timer;
    }
}

public class BenchmarkActivities
{
    [Activity]
    public int Increment(int value) => value + 1;
}
