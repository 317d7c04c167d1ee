using Payments.Activities.Accounting;
using Payments.Activities.Funds;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Reconciliation;
using Payments.Activities.Tcc;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Reconciliation;

/// <summary>Paid payments as the completion workflow leaves them, a returned late debit, and the reconciliation run over their ledger.</summary>
internal static class PaidPayments
{
    /// <summary>A merchant, a user and one payment taken all the way: tries, confirms, PAID, voucher posted.</summary>
    public static async Task<PaymentFacts> PayAsync(ParticipantsFixture fixture, long amount = 10_000)
    {
        var merchant = await fixture.CreateMerchantAsync();
        var user = await fixture.CreateUserAsync();
        var order = await fixture.CreateProcessingPaymentAsync(merchant.Merchant.MerchantId, user.UserId, amount);
        var environment = new ActivityEnvironment();
        var facts = await environment.RunAsync(() => fixture.Get<OrderActivities>().LoadPaymentAsync(order.PaymentId));
        var credit = new TccRequest(order.PaymentId, 1, facts.MerchantId, facts.NetAmount);
        var award = new TccRequest(order.PaymentId, 1, facts.UserId, facts.Points);
        await environment.RunAsync(() => fixture.Get<FundAccountActivities>().TryCreditAsync(credit));
        await environment.RunAsync(() => fixture.Get<PointsActivities>().TryAwardAsync(award));
        await environment.RunAsync(() => fixture.Get<FundAccountActivities>().ConfirmCreditAsync(credit));
        await environment.RunAsync(() => fixture.Get<PointsActivities>().ConfirmAwardAsync(award));
        await environment.RunAsync(() => fixture.Get<OrderActivities>().MoveStatusAsync(new StatusMove(order.PaymentId, PaymentStatus.Paid, PaymentStep.PostingVoucher)));
        await environment.RunAsync(() => fixture.Get<AccountingActivities>().PostPaymentVoucherAsync(
            new PaymentVoucherRequest(order.PaymentId, facts.MerchantId, facts.Amount, facts.Fee, facts.NetAmount)));
        return order;
    }

    /// <summary>
    /// A payment closed unpaid, then a debit after the close that the bank returned, as <c>LateDebitRefund</c> leaves it:
    /// the late-debit voucher posted, then the bank exception marked REFUNDED.
    /// </summary>
    public static async Task<(PaymentFacts Order, string BankTxnId)> CloseAndReturnLateDebitAsync(ParticipantsFixture fixture)
    {
        var merchant = await fixture.CreateMerchantAsync();
        var user = await fixture.CreateUserAsync();
        var order = await fixture.CreatePaymentAsync(merchant.Merchant.MerchantId, user.UserId);
        var environment = new ActivityEnvironment();
        await environment.RunAsync(() => fixture.Get<OrderActivities>().CloseUnpaidAsync(order.PaymentId));
        var bankTxnId = ParticipantsFixture.NewId("b");
        await fixture.Get<PaymentOrderStore>().RecordBankResultAsync(
            new BankCallback(order.PaymentId, bankTxnId, order.Amount, order.Currency, BankResult.Success, DateTimeOffset.UtcNow));
        await environment.RunAsync(() => fixture.Get<AccountingActivities>().PostLateDebitRefundVoucherAsync(
            new LateDebitVoucherRequest(order.PaymentId, bankTxnId, order.UserId, order.Amount)));
        await environment.RunAsync(() => fixture.Get<OrderActivities>().EndLateDebitRefundAsync(
            new LateDebitRefundEnd(order.PaymentId, bankTxnId, LateDebitRefundStatus.Refunded)));
        return (order, bankTxnId);
    }

    /// <summary>The reconciliation's check with no grace period, so nothing counts as in flight.</summary>
    public static async Task<IReadOnlyList<LedgerDifference>> ReconcileAsync(ParticipantsFixture fixture)
    {
        await using var services = fixture.BuildServices(new Dictionary<string, string?> { ["Payments:Reconciliation:PendingGrace"] = "00:00:00" });
        var activities = services.GetService(typeof(ReconciliationActivities)) as ReconciliationActivities
            ?? throw new InvalidOperationException("ReconciliationActivities is not registered");
        return await new ActivityEnvironment().RunAsync(activities.FindLedgerDifferencesAsync);
    }
}
