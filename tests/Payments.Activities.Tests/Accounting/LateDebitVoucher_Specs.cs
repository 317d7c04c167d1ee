using Payments.Activities.Accounting;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Accounting;

/// <summary>
/// A late debit returned by the bank gets its own balanced voucher, once per bank transaction, beside the voucher the
/// payment owns: the ledger's source key is the payment and the late debit, not the payment alone.
/// </summary>
public sealed class LateDebitVoucher_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private readonly ActivityEnvironment _environment = new();

    private AccountingActivities Activities => fixture.Get<AccountingActivities>();

    private VoucherStore Vouchers => fixture.Get<VoucherStore>();

    [Fact]
    public async Task PostLateDebitRefundVoucher_ReturnedDebit_BalancedMoneyInAndOutThroughBankClearing()
    {
        var paymentId = ParticipantsFixture.NewId("pay");

        var voucherId = await _environment.RunAsync(() => Activities.PostLateDebitRefundVoucherAsync(new LateDebitVoucherRequest(paymentId, "B-9", "u1", 10_000)));

        var voucher = Assert.Single(await Vouchers.ListByPaymentAsync(paymentId));
        Assert.Equal((Identifiers.LateDebitVoucherId(paymentId, "B-9"), VoucherKind.LateDebitRefund, "B-9"), (voucherId, voucher.Kind, voucher.BankTxnId));
        // A refund's lines (spelled out in Voucher_Specs): in through bank clearing, owed to the shopper, out again.
        Assert.Equal(Ledger.RefundLines("u1", 10_000), voucher.Lines);
        Assert.Equal([(10_000L, 0L), (0L, 10_000L)], voucher.Lines.Where(line => line.Account == Ledger.BankClearing).Select(line => (line.Debit, line.Credit)));
        Assert.Equal(voucher.Lines.Sum(line => line.Debit), voucher.Lines.Sum(line => line.Credit));
    }

    [Fact]
    public async Task PostLateDebitRefundVoucher_RetriedConcurrently_PostedOnceSameId()
    {
        var request = new LateDebitVoucherRequest(ParticipantsFixture.NewId("pay"), "B-9", "u1", 10_000);

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _environment.RunAsync(() => Activities.PostLateDebitRefundVoucherAsync(request)))));

        Assert.Single(ids.Distinct());
        Assert.Single(await Vouchers.ListByPaymentAsync(request.PaymentId));
    }

    [Fact]
    public async Task PostLateDebitRefundVoucher_PaymentHasItsOwnVoucher_EachKeptUnderItsSource()
    {
        var paymentId = ParticipantsFixture.NewId("pay");
        var own = await _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(paymentId, "m1", 10_000, 60, 9_940)));

        var first = await _environment.RunAsync(() => Activities.PostLateDebitRefundVoucherAsync(new LateDebitVoucherRequest(paymentId, "B-1", "u1", 10_000)));
        var second = await _environment.RunAsync(() => Activities.PostLateDebitRefundVoucherAsync(new LateDebitVoucherRequest(paymentId, "B-2", "u1", 500)));
        var ownAgain = await _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(paymentId, "m1", 10_000, 60, 9_940)));

        Assert.Equal(own, ownAgain);
        var vouchers = await Vouchers.ListByPaymentAsync(paymentId);
        Assert.Equal(
            [(own, VoucherKind.Payment, (string?)null), (first, VoucherKind.LateDebitRefund, "B-1"), (second, VoucherKind.LateDebitRefund, "B-2")],
            vouchers.Select(v => (v.VoucherId, v.Kind, v.BankTxnId)).OrderBy(v => v.Kind).ThenBy(v => v.BankTxnId));
    }
}
