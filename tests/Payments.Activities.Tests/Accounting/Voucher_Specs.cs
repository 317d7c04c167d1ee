using Npgsql;
using Payments.Activities.Accounting;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Accounting;

/// <summary>One balanced voucher per payment, with the contract's lines; the database itself refuses an unbalanced one.</summary>
public sealed class Voucher_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private readonly ActivityEnvironment _environment = new();

    private AccountingActivities Activities => fixture.Get<AccountingActivities>();

    [Fact]
    public async Task PostPaymentVoucher_PaidPayment_ContractLines()
    {
        var paymentId = ParticipantsFixture.NewId("pay");

        var voucherId = await _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(paymentId, "m1", 10_000, 60, 9_940)));

        var voucher = Assert.Single(await fixture.Get<VoucherStore>().ListByPaymentAsync(paymentId));
        Assert.Equal(voucherId, voucher.VoucherId);
        Assert.Equal(
            [new VoucherLine("1002 bank-clearing", 10_000, 0), new VoucherLine("2202 merchant-payable:m1", 0, 9_940), new VoucherLine("6001 fee-income", 0, 60)],
            voucher.Lines);
    }

    [Fact]
    public async Task PostPaymentVoucher_ZeroFee_LeavesZeroLineOut()
    {
        var paymentId = ParticipantsFixture.NewId("pay");

        await _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(paymentId, "m1", 50, 0, 50)));

        var voucher = Assert.Single(await fixture.Get<VoucherStore>().ListByPaymentAsync(paymentId));
        Assert.Equal([new VoucherLine("1002 bank-clearing", 50, 0), new VoucherLine("2202 merchant-payable:m1", 0, 50)], voucher.Lines);
    }

    [Fact]
    public async Task PostRefundVoucher_RefundedPayment_MoneyReceivedAndReturned()
    {
        var paymentId = ParticipantsFixture.NewId("pay");

        await _environment.RunAsync(() => Activities.PostRefundVoucherAsync(new RefundVoucherRequest(paymentId, "u1", 10_000)));

        var voucher = Assert.Single(await fixture.Get<VoucherStore>().ListByPaymentAsync(paymentId));
        Assert.Equal(
            [
                new VoucherLine("1002 bank-clearing", 10_000, 0),
                new VoucherLine("2241 refund-payable:u1", 0, 10_000),
                new VoucherLine("2241 refund-payable:u1", 10_000, 0),
                new VoucherLine("1002 bank-clearing", 0, 10_000),
            ],
            voucher.Lines);
    }

    [Fact]
    public async Task PostPaymentVoucher_RepeatedConcurrently_OneVoucherSameId()
    {
        var request = new PaymentVoucherRequest(ParticipantsFixture.NewId("pay"), "m1", 10_000, 60, 9_940);

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(request)))));

        Assert.Single(ids.Distinct());
        Assert.Single(await fixture.Get<VoucherStore>().ListByPaymentAsync(request.PaymentId));
    }

    [Fact]
    public async Task PostRefundVoucher_PaymentVoucherExists_FailsNonRetryable()
    {
        var paymentId = ParticipantsFixture.NewId("pay");
        await _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(paymentId, "m1", 10_000, 60, 9_940)));

        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _environment.RunAsync(() => Activities.PostRefundVoucherAsync(new RefundVoucherRequest(paymentId, "u1", 10_000))));

        Assert.Equal((ParticipantErrors.VoucherConflict, true), (refusal.ErrorType, refusal.NonRetryable));
    }

    [Fact]
    public async Task PostPaymentVoucher_FeeAndNetNotAmount_FailsNonRetryable()
    {
        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(() => _environment.RunAsync(
            () => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(ParticipantsFixture.NewId("pay"), "m1", 10_000, 60, 9_000))));

        Assert.Equal((ParticipantErrors.InvalidRequest, true), (refusal.ErrorType, refusal.NonRetryable));
    }

    [Fact]
    public async Task Database_UnbalancedVoucher_RefusedAtCommit()
    {
        var voucherId = ParticipantsFixture.NewId("vch");

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => fixture.ExecuteAsync(
            """
            INSERT INTO accounting.vouchers (voucher_id, payment_id, kind) VALUES (@id, @id, 'PAYMENT');
            INSERT INTO accounting.voucher_lines (voucher_id, line_no, account, debit, credit) VALUES (@id, 1, '1002 bank-clearing', 100, 0);
            INSERT INTO accounting.voucher_lines (voucher_id, line_no, account, debit, credit) VALUES (@id, 2, '6001 fee-income', 0, 99);
            """,
            ("id", voucherId)));

        Assert.Equal(PostgresErrorCodes.CheckViolation, refusal.SqlState);
        Assert.Empty(await fixture.Get<VoucherStore>().ListByPaymentAsync(voucherId));
    }

    [Fact]
    public async Task Database_LineChangedAfterPosting_Refused()
    {
        var paymentId = ParticipantsFixture.NewId("pay");
        var voucherId = await _environment.RunAsync(() => Activities.PostPaymentVoucherAsync(new PaymentVoucherRequest(paymentId, "m1", 10_000, 60, 9_940)));

        await Assert.ThrowsAsync<PostgresException>(() => fixture.ExecuteAsync(
            "UPDATE accounting.voucher_lines SET credit = credit + 1 WHERE voucher_id = @id AND line_no = 2", ("id", voucherId)));
        await Assert.ThrowsAsync<PostgresException>(() => fixture.ExecuteAsync(
            "DELETE FROM accounting.voucher_lines WHERE voucher_id = @id AND line_no = 3", ("id", voucherId)));
    }
}
