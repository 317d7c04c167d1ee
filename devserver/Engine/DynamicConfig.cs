using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Payments.DevServer.Engine;

/// <summary>
/// The dynamic config values (<c>--dynamic-config-value KEY=VALUE</c>, as <c>temporal server start-dev</c> takes them)
/// this server acts on, with Temporal's defaults. Flags for features that are always on here are accepted quietly; any
/// other key is logged as not acted on.
/// </summary>
internal sealed record DynamicConfig
{
    private static readonly HashSet<string> AlwaysOn = new(StringComparer.Ordinal)
    {
        "frontend.enableUpdateWorkflowExecution",
        "frontend.enableUpdateWorkflowExecutionAsyncAccepted",
        "frontend.enableExecuteMultiOperation",
        "frontend.activityAPIsEnabled",
        "activity.enableStandalone",
        "system.forceSearchAttributesCacheRefreshOnRead",
        "frontend.enableSchedules",
    };

    public long HistoryCountSuggestContinueAsNew { get; private init; } = 4 * 1024;

    public long HistorySizeSuggestContinueAsNew { get; private init; } = 4L * 1024 * 1024;

    public long HistoryCountWarn { get; private init; } = 10 * 1024;

    public long HistoryCountError { get; private init; } = 50 * 1024;

    public long HistorySizeWarn { get; private init; } = 10L * 1024 * 1024;

    public long HistorySizeError { get; private init; } = 50L * 1024 * 1024;

    public long BlobSizeWarn { get; private init; } = 512 * 1024;

    public long BlobSizeError { get; private init; } = 2L * 1024 * 1024;

    public long MemoSizeWarn { get; private init; } = 2 * 1024;

    public long MemoSizeError { get; private init; } = 2L * 1024 * 1024;

    public long NumPendingActivitiesError { get; private init; } = 2000;

    public long NumPendingChildExecutionsError { get; private init; } = 2000;

    public long NumPendingSignalsError { get; private init; } = 2000;

    public long NumPendingCancelRequestsError { get; private init; } = 2000;

    public static DynamicConfig Parse(IEnumerable<KeyValuePair<string, string>> values, ILogger logger)
    {
        var config = new DynamicConfig();
        foreach (var (key, raw) in values)
        {
            long Number() => long.TryParse(raw.Trim().Trim('"'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new ArgumentException($"--dynamic-config-value {key} wants a whole number, got '{raw}'");
            config = key switch
            {
                "limit.historyCount.suggestContinueAsNew" => config with { HistoryCountSuggestContinueAsNew = Number() },
                "limit.historySize.suggestContinueAsNew" => config with { HistorySizeSuggestContinueAsNew = Number() },
                "limit.historyCount.warn" => config with { HistoryCountWarn = Number() },
                "limit.historyCount.error" => config with { HistoryCountError = Number() },
                "limit.historySize.warn" => config with { HistorySizeWarn = Number() },
                "limit.historySize.error" => config with { HistorySizeError = Number() },
                "limit.blobSize.warn" => config with { BlobSizeWarn = Number() },
                "limit.blobSize.error" => config with { BlobSizeError = Number() },
                "limit.memoSize.warn" => config with { MemoSizeWarn = Number() },
                "limit.memoSize.error" => config with { MemoSizeError = Number() },
                "limit.numPendingActivities.error" => config with { NumPendingActivitiesError = Number() },
                "limit.numPendingChildExecutions.error" => config with { NumPendingChildExecutionsError = Number() },
                "limit.numPendingSignals.error" => config with { NumPendingSignalsError = Number() },
                "limit.numPendingCancelRequests.error" => config with { NumPendingCancelRequestsError = Number() },
                _ => Ignored(config, key, logger),
            };
        }
        return config;
    }

    private static DynamicConfig Ignored(DynamicConfig config, string key, ILogger logger)
    {
        if (!AlwaysOn.Contains(key))
        {
            logger.LogWarning("Dynamic config value {Key} is not acted on by the Payments devserver", key);
        }
        return config;
    }
}
