using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Temporalio.Activities;

namespace Payments.Activities.Reconciliation;

/// <summary>The ledger reconciliation's two steps: find what differs, then record the report (a log line per difference).</summary>
public sealed class ReconciliationActivities(
    LedgerChecks checks, ReconciliationReportStore reports, IOptions<ReconciliationOptions> options, ILogger<ReconciliationActivities> logger)
{
    [Activity]
    public Task<IReadOnlyList<LedgerDifference>> FindLedgerDifferencesAsync() =>
        checks.FindDifferencesAsync(options.Value.PendingGrace, ActivityCancellation.Token);

    [Activity]
    public async Task RecordReconciliationReportAsync(ReconciliationReport report)
    {
        await reports.SaveAsync(report, ActivityCancellation.Token);
        foreach (var difference in report.Differences)
        {
            logger.LogWarning(
                "Reconciliation {ReportId}: {Kind} for payment {PaymentId} account {AccountId}: {Detail}",
                report.ReportId, difference.Kind, difference.PaymentId, difference.AccountId, difference.Detail);
        }
        logger.LogInformation("Reconciliation {ReportId} found {Count} differences", report.ReportId, report.Differences.Count);
    }
}
