using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Payments.Activities.Database;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Accounting;

/// <summary>
/// Posts a payment's own voucher (paid or refunded) and one per late debit it returned; a retry finds the voucher of the
/// same source posted and returns the same voucher id.
/// </summary>
public sealed class AccountingActivities(NpgsqlDataSource dataSource, ILogger<AccountingActivities> logger)
{
    [Activity]
    public Task<string> PostPaymentVoucherAsync(PaymentVoucherRequest request)
    {
        IReadOnlyList<VoucherLine> lines;
        try
        {
            lines = Ledger.PaymentLines(request.MerchantId, request.Amount, request.Fee, request.NetAmount);
        }
        catch (ArgumentException e)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.InvalidRequest, $"Payment {request.PaymentId}: {e.Message}");
        }
        return PostAsync(request.PaymentId, null, VoucherKind.Payment, lines);
    }

    [Activity]
    public Task<string> PostRefundVoucherAsync(RefundVoucherRequest request)
    {
        if (request.Amount <= 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.InvalidRequest, $"Payment {request.PaymentId}: refund amount {request.Amount}.");
        }
        return PostAsync(request.PaymentId, null, VoucherKind.Refund, Ledger.RefundLines(request.UserId, request.Amount));
    }

    /// <summary>A debit that came after its order closed, returned by the bank: in and out again, beside the payment's own voucher.</summary>
    [Activity]
    public Task<string> PostLateDebitRefundVoucherAsync(LateDebitVoucherRequest request)
    {
        if (request.Amount <= 0)
        {
            throw ParticipantErrors.Refusal(
                ParticipantErrors.InvalidRequest, $"Payment {request.PaymentId}: late debit {request.BankTxnId} amount {request.Amount}.");
        }
        // The same lines as a refund: the late debit enters bank clearing, is owed to the shopper, and leaves again.
        return PostAsync(request.PaymentId, request.BankTxnId, VoucherKind.LateDebitRefund, Ledger.RefundLines(request.UserId, request.Amount));
    }

    /// <summary>Posts the voucher of its source: the payment itself (<paramref name="bankTxnId"/> null) or one late debit.</summary>
    private async Task<string> PostAsync(string paymentId, string? bankTxnId, VoucherKind kind, IReadOnlyList<VoucherLine> lines)
    {
        var cancellationToken = ActivityCancellation.Token;
        var voucherId = bankTxnId is null ? Identifiers.VoucherId(paymentId) : Identifiers.LateDebitVoucherId(paymentId, bankTxnId);
        // The voucher and its lines in one statement (one round trip, its own transaction, balance checked at its commit);
        // no line is written when the source has a voucher already. No conflict target: a concurrent retry of the same
        // source collides on the voucher id too, and a targeted ON CONFLICT raises on any other unique index.
        await using var post = dataSource.CreateCommand(
            """
            WITH voucher AS (
                INSERT INTO accounting.vouchers (voucher_id, payment_id, bank_txn_id, kind) VALUES (@voucher, @payment, @txn, @kind)
                ON CONFLICT DO NOTHING
                RETURNING voucher_id)
            INSERT INTO accounting.voucher_lines (voucher_id, line_no, account, debit, credit)
            SELECT voucher.voucher_id, line.no, line.account, line.debit, line.credit
            FROM voucher CROSS JOIN unnest(@nos, @accounts, @debits, @credits) AS line (no, account, debit, credit)
            """);
        post.Parameters.With("voucher", voucherId).With("payment", paymentId).WithNullable("txn", bankTxnId, NpgsqlDbType.Text)
            .With("kind", WireName.Of(kind)).With("nos", Enumerable.Range(1, lines.Count).ToArray())
            .With("accounts", lines.Select(line => line.Account).ToArray()).With("debits", lines.Select(line => line.Debit).ToArray())
            .With("credits", lines.Select(line => line.Credit).ToArray());
        if (await post.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return await ExistingVoucherAsync(paymentId, bankTxnId, kind, cancellationToken);
        }
        logger.LogInformation("Posted {Kind} voucher {VoucherId} for payment {PaymentId}", kind, voucherId, paymentId);
        return voucherId;
    }

    private async Task<string> ExistingVoucherAsync(string paymentId, string? bankTxnId, VoucherKind kind, CancellationToken cancellationToken)
    {
        await using var select = dataSource.CreateCommand(
            "SELECT voucher_id, kind FROM accounting.vouchers WHERE payment_id = @payment AND bank_txn_id IS NOT DISTINCT FROM @txn");
        select.Parameters.With("payment", paymentId).WithNullable("txn", bankTxnId, NpgsqlDbType.Text);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var existingKind = reader.GetWire<VoucherKind>("kind");
        if (existingKind != kind)
        {
            throw ParticipantErrors.Refusal(
                ParticipantErrors.VoucherConflict, $"Payment {paymentId} already has a {WireName.Of(existingKind)} voucher; a {WireName.Of(kind)} voucher cannot be posted.");
        }
        return reader.GetString("voucher_id");
    }
}
