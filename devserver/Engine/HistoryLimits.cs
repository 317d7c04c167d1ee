using Microsoft.Extensions.Logging;

namespace Payments.DevServer.Engine;

/// <summary>
/// Temporal's history limits, from the dynamic config: suggest continue-as-new first, log a warning past the warn
/// limits, terminate the run past the error limits.
/// </summary>
internal sealed class HistoryLimits(DynamicConfig config, ILogger logger)
{
    public bool SuggestContinueAsNew(Execution run) =>
        run.History.Count >= config.HistoryCountSuggestContinueAsNew || run.HistorySizeBytes >= config.HistorySizeSuggestContinueAsNew;

    /// <summary>Why the run must end (Temporal's termination reason), or null; logs a warning when it only nears that.</summary>
    public string? Exceeded(Execution run)
    {
        if (run.History.Count > config.HistoryCountError)
        {
            return "Workflow history count exceeds limit.";
        }
        if (run.HistorySizeBytes > config.HistorySizeError)
        {
            return "Workflow history size exceeds limit.";
        }
        if (run.History.Count > config.HistoryCountWarn || run.HistorySizeBytes > config.HistorySizeWarn)
        {
            logger.LogWarning(
                "Workflow {WorkflowId} run {RunId} nears its history limits: {EventCount} events (warn {CountWarn}, terminated past {CountError}), {SizeBytes} bytes (warn {SizeWarn}, terminated past {SizeError})",
                run.WorkflowId, run.RunId, run.History.Count, config.HistoryCountWarn, config.HistoryCountError, run.HistorySizeBytes, config.HistorySizeWarn, config.HistorySizeError);
        }
        return null;
    }
}
