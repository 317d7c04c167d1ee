using Payments.Activities.Reconciliation;
using Temporalio.Common;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>
/// The nightly ledger reconciliation (schedule <c>ledger-reconciliation</c>, or on demand): finds what differs between
/// payments, vouchers and accounts and records a report; its id (one per scheduled run) is the report id.
/// </summary>
[Workflow("LedgerReconciliation")]
public sealed class LedgerReconciliationWorkflow
{
    /// <summary>The nightly schedule's id, also the id prefix of its runs (and so of their reports).</summary>
    public const string ScheduleId = "ledger-reconciliation";

    /// <summary>Reading the whole ledger may take a while; a failed read is retried, never doubled (the report is keyed by run).</summary>
    private static readonly ActivityOptions Options = new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(10),
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(1), BackoffCoefficient = 2, MaximumInterval = TimeSpan.FromMinutes(5) },
    };

    [WorkflowRun]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Temporal runs workflows through instance methods.")]
    public async Task<LedgerReconciliationResult> RunAsync()
    {
        var differences = await Workflow.ExecuteActivityAsync((ReconciliationActivities act) => act.FindLedgerDifferencesAsync(), Options);
        var report = new ReconciliationReport(Workflow.Info.WorkflowId, Workflow.UtcNow, differences);
        await Workflow.ExecuteActivityAsync((ReconciliationActivities act) => act.RecordReconciliationReportAsync(report), Options);
        return new LedgerReconciliationResult(report.ReportId, differences.Count);
    }
}

/// <summary>The report a reconciliation run stored and how many differences it holds.</summary>
public sealed record LedgerReconciliationResult(string ReportId, int DifferenceCount);
