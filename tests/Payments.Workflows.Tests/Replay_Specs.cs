using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Common;
using Temporalio.Worker;

namespace Payments.Workflows.Tests;

/// <summary>Today's workflow code replays every saved scenario history: a non-deterministic change fails here.</summary>
public sealed class Replay_Specs
{
    public static TheoryData<string> SavedScenarios() => new(Histories.Saved());

    [Theory]
    [MemberData(nameof(SavedScenarios))]
    public async Task Replay_SavedScenarioHistory_IsDeterministic(string scenario)
    {
        var history = await Histories.LoadAsync(scenario);

        var result = await new WorkflowReplayer(Histories.ReplayerOptions).ReplayWorkflowAsync(history, throwOnReplayFailure: false);

        Assert.Null(result.ReplayFailure);
    }

    [Fact]
    public async Task Replay_HistoryAChangedWorkflowWouldNotWrite_FailsAsNonDeterministic()
    {
        var saved = await Histories.LoadAsync("rev2/completion-paid");
        // As if the code had moved the points try before the fund try without a patch.
        var broken = WorkflowHistory.FromJson(saved.Id, saved.ToJson().Replace("\"TryCredit\"", "\"TryAward\"", StringComparison.Ordinal));

        var result = await new WorkflowReplayer(Histories.ReplayerOptions).ReplayWorkflowAsync(broken, throwOnReplayFailure: false);

        Assert.IsType<Temporalio.Exceptions.WorkflowNondeterminismException>(result.ReplayFailure);
    }
}
