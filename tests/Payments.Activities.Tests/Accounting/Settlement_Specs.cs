using Payments.Activities.Accounting;
using Payments.Activities.Funds;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Tcc;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Accounting;

/// <summary>
/// Many payments completed at once, every step run twice as Temporal may: balances, pending amounts, vouchers and the
/// ledger all agree afterwards.
/// </summary>
public sealed class Settlement_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    [Fact]
    public async Task ManyPayments_CompletedConcurrentlyWithRetries_LedgerAgreesWithAccounts()
    {
        var merchants = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => fixture.CreateMerchantAsync(feeBps: i * 45)));
        var users = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => fixture.CreateUserAsync()));
        var random = new Random(7);
        var orders = new List<PaymentFacts>();
        for (var i = 0; i < 60; i++)
        {
            orders.Add(await fixture.CreateProcessingPaymentAsync(
                merchants[i % merchants.Length].Merchant.MerchantId, users[random.Next(users.Length)].UserId, random.Next(1, 50_000)));
        }

        await Task.WhenAll(orders.Select(order => Task.Run(() => CompleteAsync(order.PaymentId))));

        foreach (var merchant in merchants.Select(m => m.Merchant.MerchantId))
        {
            var paid = orders.Where(o => o.MerchantId == merchant).Select(o => PaymentAmounts.Of(o.Amount, FeeBps(merchants, merchant))).ToList();
            var account = (await fixture.Get<FundAccountStore>().GetAsync(merchant))!;
            Assert.Equal((paid.Sum(p => p.NetAmount), 0), (account.Balance, account.PendingCredit));
            Assert.Equal(account.Balance, await fixture.ScalarAsync(
                "SELECT coalesce(sum(credit) - sum(debit), 0) FROM accounting.voucher_lines WHERE account = @account", ("account", Ledger.MerchantPayable(merchant))));
        }
        foreach (var user in users.Select(u => u.UserId))
        {
            var account = (await fixture.Get<PointsAccountStore>().GetAsync(user))!;
            Assert.Equal((orders.Where(o => o.UserId == user).Sum(o => Money.Points(o.Amount)), 0), (account.Points, account.PendingPoints));
        }
        Assert.Equal(orders.Count, await fixture.ScalarAsync("SELECT count(DISTINCT payment_id) FROM accounting.vouchers WHERE kind = 'PAYMENT'"));
        Assert.Equal(0, await fixture.ScalarAsync(
            "SELECT count(*) FROM (SELECT voucher_id FROM accounting.voucher_lines GROUP BY voucher_id HAVING sum(debit) <> sum(credit)) unbalanced"));
        foreach (var order in orders)
        {
            Assert.Equal(PaymentStatus.Paid, (await fixture.OrderStateAsync(order.PaymentId)).Status);
        }
    }

    /// <summary>What the completion workflow does for a paid payment, with each activity delivered twice.</summary>
    private async Task CompleteAsync(string paymentId)
    {
        var orders = fixture.Get<OrderActivities>();
        var funds = fixture.Get<FundAccountActivities>();
        var points = fixture.Get<PointsActivities>();
        var accounting = fixture.Get<AccountingActivities>();
        var facts = await new ActivityEnvironment().RunAsync(() => orders.LoadPaymentAsync(paymentId));
        var credit = new TccRequest(paymentId, 1, facts.MerchantId, facts.NetAmount);
        var award = new TccRequest(paymentId, 1, facts.UserId, facts.Points);
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await new ActivityEnvironment().RunAsync(() => funds.TryCreditAsync(credit));
            await new ActivityEnvironment().RunAsync(() => points.TryAwardAsync(award));
        }
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await new ActivityEnvironment().RunAsync(() => funds.ConfirmCreditAsync(credit));
            await new ActivityEnvironment().RunAsync(() => points.ConfirmAwardAsync(award));
            await new ActivityEnvironment().RunAsync(() => orders.MoveStatusAsync(new StatusMove(paymentId, PaymentStatus.Paid, PaymentStep.PostingVoucher)));
        }
        for (var delivery = 0; delivery < 2; delivery++)
        {
            await new ActivityEnvironment().RunAsync(() => accounting.PostPaymentVoucherAsync(
                new PaymentVoucherRequest(paymentId, facts.MerchantId, facts.Amount, facts.Fee, facts.NetAmount)));
        }
    }

    private static int FeeBps(IEnumerable<Merchants.MerchantCredentials> merchants, string merchantId) =>
        merchants.Single(m => m.Merchant.MerchantId == merchantId).Merchant.FeeBps;
}
