namespace Payments.DevServer.Engine;

/// <summary>Temporal's default history limits: suggest continue-as-new first, terminate the run past the hard limit.</summary>
internal static class HistoryLimits
{
    public const int SuggestEventCount = 4 * 1024;
    public const long SuggestSizeBytes = 4L * 1024 * 1024;
    public const int MaxEventCount = 51_200;
    public const long MaxSizeBytes = 50L * 1024 * 1024;

    public static bool SuggestContinueAsNew(Execution run) => run.History.Count >= SuggestEventCount || run.HistorySizeBytes >= SuggestSizeBytes;

    public static string? Exceeded(Execution run) =>
        run.History.Count > MaxEventCount ? "Workflow history count exceeds limit." :
        run.HistorySizeBytes > MaxSizeBytes ? "Workflow history size exceeds limit." :
        null;
}
