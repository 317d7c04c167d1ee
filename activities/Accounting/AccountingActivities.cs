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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO accounting.vouchers (voucher_id, payment_id, bank_txn_id, kind) VALUES (@voucher, @payment, @txn, @kind)
            ON CONFLICT (payment_id, bank_txn_id) DO NOTHING
            """,
            connection,
            transaction))
        {
            insert.Parameters.With("voucher", voucherId).With("payment", paymentId).WithNullable("txn", bankTxnId, NpgsqlDbType.Text)
                .With("kind", WireName.Of(kind));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await ExistingVoucherAsync(connection, paymentId, bankTxnId, kind, cancellationToken);
            }
        }
        var batch = new NpgsqlBatch(connection, transaction);
        await using (batch)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var line = new NpgsqlBatchCommand(
                    "INSERT INTO accounting.voucher_lines (voucher_id, line_no, account, debit, credit) VALUES (@voucher, @no, @account, @debit, @credit)");
                line.Parameters.With("voucher", voucherId).With("no", i + 1).With("account", lines[i].Account)
                    .With("debit", lines[i].Debit).With("credit", lines[i].Credit);
                batch.BatchCommands.Add(line);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Posted {Kind} voucher {VoucherId} for payment {PaymentId}", kind, voucherId, paymentId);
        return voucherId;
    }

    private static async Task<string> ExistingVoucherAsync(
        NpgsqlConnection connection, string paymentId, string? bankTxnId, VoucherKind kind, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            "SELECT voucher_id, kind FROM accounting.vouchers WHERE payment_id = @payment AND bank_txn_id IS NOT DISTINCT FROM @txn", connection);
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
