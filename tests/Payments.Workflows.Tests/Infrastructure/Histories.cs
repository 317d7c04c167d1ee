using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>
/// Event histories of the scenarios, kept as JSON in <c>Histories/</c> and replayed by <see cref="Replay_Specs"/>: a change
/// to the workflow code that is not deterministic against them fails the suite. <c>Histories/*.json</c> are the current
/// version's, written by the suite run with <c>PAYMENTS_RECORD_HISTORIES=1</c>; each earlier version's stay in a folder of
/// their own (<c>rev1/</c>: started by the callback, before contract revision 2; <c>rev2/</c>: started at creation, one
/// activity per step; <c>rev3/</c>: the completion's database steps local but the bank-FAILED move an activity; <c>rev4/</c>: every
/// notification attempt made by <c>notify-{paymentId}</c>, before the completion made the first; <c>rev5/</c>: the bank result
/// recorded and the move it leads to as two order steps, a delivered attempt's DELIVERED recorded apart; <c>rev6/</c>: the
/// notification settings read by a local activity of their own after the payment's end), so runs
/// of every version still in flight keep replaying. Before recording a patched change, move the current ones into a
/// folder named after their version.
/// </summary>
internal static class Histories
{
    public const string RecordVariable = "PAYMENTS_RECORD_HISTORIES";
    public const string Folder = "Histories";

    // A replay checks determinism, not speed: a cold replay beside the whole project outlived the 2 s deadlock detection.
    public static readonly WorkflowReplayerOptions ReplayerOptions = new WorkflowReplayerOptions { DataConverter = PaymentsTemporal.DataConverter, DebugMode = true }
        .AddWorkflow<PaymentCompletionWorkflow>()
        .AddWorkflow<MerchantNotificationWorkflow>()
        .AddWorkflow<LateDebitRefundWorkflow>();

    /// <summary>Replays the history of a finished scenario now, and records it when asked to.</summary>
    public static async Task KeepAsync(WorkflowHandle handle, string scenario)
    {
        var history = await handle.FetchHistoryAsync();
        await new WorkflowReplayer(ReplayerOptions).ReplayWorkflowAsync(history);
        if (Environment.GetEnvironmentVariable(RecordVariable) == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(SourceFolder(), $"{scenario}.json"), history.ToJson());
        }
    }

    /// <summary>Every saved history as a scenario name: its path under <c>Histories/</c> without the extension (<c>rev1/completion-paid</c>).</summary>
    public static IEnumerable<string> Saved()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, Folder);
        return Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories)
            .Select(file => Path.ChangeExtension(Path.GetRelativePath(folder, file), null))
            .Order();
    }

    public static async Task<WorkflowHistory> LoadAsync(string scenario) =>
        WorkflowHistory.FromJson(scenario, await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, Folder, $"{scenario}.json")));

    private static string SourceFolder()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Payments.Workflows.Tests.csproj")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("The test project folder is not above the test assembly.");
        }
        return Path.Combine(folder, Folder);
    }
}
