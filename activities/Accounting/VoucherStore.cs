using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Accounting;

/// <summary>Reads the ledger (<c>GET /api/accounting/vouchers?paymentId=</c>): a payment's own voucher and those of its returned late debits.</summary>
public sealed class VoucherStore(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<Voucher>> ListByPaymentAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT v.voucher_id, v.payment_id, v.kind, v.bank_txn_id, v.posted_at, l.account, l.debit, l.credit
            FROM accounting.vouchers v JOIN accounting.voucher_lines l ON l.voucher_id = v.voucher_id
            WHERE v.payment_id = @payment
            ORDER BY v.posted_at, v.voucher_id, l.line_no
            """);
        command.Parameters.With("payment", paymentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string VoucherId, string PaymentId, VoucherKind Kind, string? BankTxnId, DateTimeOffset PostedAt, VoucherLine Line)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((
                reader.GetString("voucher_id"),
                reader.GetString("payment_id"),
                reader.GetWire<VoucherKind>("kind"),
                reader.GetNullableString("bank_txn_id"),
                reader.GetTimestamp("posted_at"),
                new VoucherLine(reader.GetString("account"), reader.GetInt64("debit"), reader.GetInt64("credit"))));
        }
        return rows
            .GroupBy(row => (row.VoucherId, row.PaymentId, row.Kind, row.BankTxnId, row.PostedAt))
            .Select(group => new Voucher(
                group.Key.VoucherId, group.Key.PaymentId, group.Key.Kind, group.Key.BankTxnId, group.Key.PostedAt, [.. group.Select(row => row.Line)]))
            .ToList();
    }
}
