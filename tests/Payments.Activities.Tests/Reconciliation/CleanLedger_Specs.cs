using Payments.Activities.Reconciliation;
using Payments.Activities.Tests.Support;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Reconciliation;

/// <summary>
/// A ledger where every paid payment was completed, and every late debit returned, as the workflows do it: the
/// reconciliation reports nothing.
/// </summary>
public sealed class CleanLedger_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    [Fact]
    public async Task FindLedgerDifferences_PaymentsCompletedNormally_ReportsNothing()
    {
        await PaidPayments.PayAsync(fixture, 10_000);
        await PaidPayments.PayAsync(fixture, 333);

        Assert.Empty(await PaidPayments.ReconcileAsync(fixture));
    }

    [Fact]
    public async Task FindLedgerDifferences_ClosedPaymentWithReturnedLateDebits_ReportsNothing()
    {
        var (closed, _) = await PaidPayments.CloseAndReturnLateDebitAsync(fixture);
        await PaidPayments.PayAsync(fixture);

        Assert.Empty(await PaidPayments.ReconcileAsync(fixture));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM accounting.vouchers WHERE payment_id = @id AND kind = 'LATE_DEBIT_REFUND'", ("id", closed.PaymentId)));
    }

    [Fact]
    public async Task RecordReconciliationReport_Twice_StoredOnceAndListedNewestFirst()
    {
        var activities = fixture.Get<ReconciliationActivities>();
        var older = new ReconciliationReport("ledger-reconciliation-a", DateTimeOffset.UtcNow.AddDays(-1), []);
        var newer = new ReconciliationReport("ledger-reconciliation-b", DateTimeOffset.UtcNow,
            [new LedgerDifference(LedgerDifferenceKind.MissingVoucher, "pay-1", null, "payment is PAID but has no voucher")]);

        await new ActivityEnvironment().RunAsync(() => activities.RecordReconciliationReportAsync(older));
        await new ActivityEnvironment().RunAsync(() => activities.RecordReconciliationReportAsync(newer));
        await new ActivityEnvironment().RunAsync(() => activities.RecordReconciliationReportAsync(newer));

        var listed = await fixture.Get<ReconciliationReportStore>().ListRecentAsync(10, CancellationToken.None);
        Assert.Equal(["ledger-reconciliation-b", "ledger-reconciliation-a"], listed.Select(r => r.ReportId));
        Assert.Equal(newer.Differences, listed[0].Differences);
    }
}
