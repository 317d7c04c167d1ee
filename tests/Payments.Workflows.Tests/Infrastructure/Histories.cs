using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Worker;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>
/// Event histories of the scenarios, kept as JSON in <c>Histories/</c> and replayed by <see cref="Replay_Specs"/>: a change
/// to the workflow code that is not deterministic against them fails the suite. Run the suite with
/// <c>PAYMENTS_RECORD_HISTORIES=1</c> to write them again (only for a deliberate, patched change).
/// </summary>
internal static class Histories
{
    public const string RecordVariable = "PAYMENTS_RECORD_HISTORIES";
    public const string Folder = "Histories";

    public static readonly WorkflowReplayerOptions ReplayerOptions = new WorkflowReplayerOptions { DataConverter = PaymentsTemporal.DataConverter }
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

    public static IEnumerable<string> Saved() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, Folder), "*.json").Select(Path.GetFileNameWithoutExtension).Order()!;

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
