using Payments.Activities.Accounting;
using Payments.Activities.Orders;
using Payments.Activities.Reconciliation;
using Payments.Activities.Tests.Support;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Reconciliation;

/// <summary>Rows changed behind the platform's back by SQL: the reconciliation names each difference and what it is about.</summary>
public sealed class PlantedDifference_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    [Fact]
    public async Task FindLedgerDifferences_BalanceVoucherAndPendingTampered_ReportsEachDifference()
    {
        var credited = await PaidPayments.PayAsync(fixture);
        var unposted = await PaidPayments.PayAsync(fixture);
        var pending = await PaidPayments.PayAsync(fixture);
        await fixture.ExecuteAsync("UPDATE funds.accounts SET balance = balance + 1 WHERE merchant_id = @merchant", ("merchant", credited.MerchantId));
        await fixture.ExecuteAsync("DELETE FROM accounting.vouchers WHERE payment_id = @payment", ("payment", unposted.PaymentId));
        await fixture.ExecuteAsync("UPDATE points.accounts SET pending_points = 7 WHERE user_id = @user", ("user", pending.UserId));

        var differences = await PaidPayments.ReconcileAsync(fixture);

        Assert.Contains(differences, d => d is { Kind: LedgerDifferenceKind.MerchantPayableMismatch } && d.AccountId == credited.MerchantId);
        Assert.Contains(differences, d => d is { Kind: LedgerDifferenceKind.MissingVoucher } && d.PaymentId == unposted.PaymentId);
        // Without its voucher, the merchant's balance is ahead of the ledger too.
        Assert.Contains(differences, d => d is { Kind: LedgerDifferenceKind.MerchantPayableMismatch } && d.AccountId == unposted.MerchantId);
        Assert.Contains(differences, d => d is { Kind: LedgerDifferenceKind.PendingPoints } && d.AccountId == pending.UserId);
    }

    [Fact]
    public async Task FindLedgerDifferences_VoucherLineMovedToAnotherMerchant_ReportsAmountMismatch()
    {
        var payment = await PaidPayments.PayAsync(fixture);
        await fixture.ExecuteAsync(
            "UPDATE accounting.voucher_lines SET account = account || '-x' WHERE voucher_id = (SELECT voucher_id FROM accounting.vouchers WHERE payment_id = @payment) AND account LIKE '2202 %'",
            ("payment", payment.PaymentId));

        var differences = await PaidPayments.ReconcileAsync(fixture);

        Assert.Contains(differences, d => d is { Kind: LedgerDifferenceKind.VoucherAmountMismatch } && d.PaymentId == payment.PaymentId);
    }

    [Fact]
    public async Task FindLedgerDifferences_ReturnedLateDebitLostItsVoucher_ReportsMissingLateDebitVoucher()
    {
        var (order, bankTxnId) = await PaidPayments.CloseAndReturnLateDebitAsync(fixture);
        await fixture.ExecuteAsync("DELETE FROM accounting.vouchers WHERE payment_id = @payment", ("payment", order.PaymentId));

        var differences = await PaidPayments.ReconcileAsync(fixture);

        var missing = Assert.Single(differences, d => d.PaymentId == order.PaymentId);
        Assert.Equal(LedgerDifferenceKind.MissingLateDebitVoucher, missing.Kind);
        Assert.Contains(bankTxnId, missing.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindLedgerDifferences_ClosedPaymentWithAPaymentVoucher_ReportsWrongVoucherKindNotPaid()
    {
        var (order, _) = await PaidPayments.CloseAndReturnLateDebitAsync(fixture);
        var environment = new ActivityEnvironment();
        var facts = await environment.RunAsync(() => fixture.Get<OrderActivities>().LoadPaymentAsync(order.PaymentId));
        await environment.RunAsync(() => fixture.Get<AccountingActivities>().PostPaymentVoucherAsync(
            new PaymentVoucherRequest(order.PaymentId, facts.MerchantId, facts.Amount, facts.Fee, facts.NetAmount)));

        var differences = await PaidPayments.ReconcileAsync(fixture);

        var wrong = Assert.Single(differences, d => d.PaymentId == order.PaymentId);
        Assert.Equal((LedgerDifferenceKind.WrongVoucherKind, "payment is CLOSED but its voucher is a PAYMENT voucher"), (wrong.Kind, wrong.Detail));
    }
}
