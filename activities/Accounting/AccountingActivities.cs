using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Accounting;

/// <summary>Posts the one voucher of a paid or refunded payment; a retry finds it posted and returns the same voucher id.</summary>
public sealed class AccountingActivities(NpgsqlDataSource dataSource, ILogger<AccountingActivities> logger)
{
    private const string PaymentKind = "PAYMENT";
    private const string RefundKind = "REFUND";

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
        return PostAsync(request.PaymentId, PaymentKind, lines);
    }

    [Activity]
    public Task<string> PostRefundVoucherAsync(RefundVoucherRequest request)
    {
        if (request.Amount <= 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.InvalidRequest, $"Payment {request.PaymentId}: refund amount {request.Amount}.");
        }
        return PostAsync(request.PaymentId, RefundKind, Ledger.RefundLines(request.UserId, request.Amount));
    }

    private async Task<string> PostAsync(string paymentId, string kind, IReadOnlyList<VoucherLine> lines)
    {
        var cancellationToken = ActivityCancellation.Token;
        var voucherId = $"vch_{paymentId}";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO accounting.vouchers (voucher_id, payment_id, kind) VALUES (@voucher, @payment, @kind) ON CONFLICT (payment_id) DO NOTHING",
            connection,
            transaction))
        {
            insert.Parameters.With("voucher", voucherId).With("payment", paymentId).With("kind", kind);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return await ExistingVoucherAsync(connection, paymentId, kind, cancellationToken);
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

    private static async Task<string> ExistingVoucherAsync(NpgsqlConnection connection, string paymentId, string kind, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand("SELECT voucher_id, kind FROM accounting.vouchers WHERE payment_id = @payment", connection);
        select.Parameters.With("payment", paymentId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var existingKind = reader.GetString("kind");
        if (existingKind != kind)
        {
            throw ParticipantErrors.Refusal(
                ParticipantErrors.VoucherConflict, $"Payment {paymentId} already has a {existingKind} voucher; a {kind} voucher cannot be posted.");
        }
        return reader.GetString("voucher_id");
    }
}
