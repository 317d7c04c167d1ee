using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Reconciliation;

/// <summary>
/// The ledger's invariants as queries, counting vouchers per kind: every paid payment has exactly one balanced payment
/// voucher for its amounts and every refunded one its refund voucher; a closed payment has none of its own, only one
/// late-debit voucher for each late debit the bank returned; merchant-payable credits equal fund balances; nothing
/// stays pending past the grace period. States younger than the grace period are in flight, not differences.
/// </summary>
public sealed class LedgerChecks(NpgsqlDataSource dataSource)
{
    private static readonly string MerchantPayablePrefix = Ledger.MerchantPayable("");

    public async Task<IReadOnlyList<LedgerDifference>> FindDifferencesAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for every check, so a payment moving on mid-run cannot look inconsistent.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var differences = new List<LedgerDifference>();
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT p.payment_id, NULL, 'payment is ' || p.status || ' but has no voucher'
              FROM orders.payments p LEFT JOIN accounting.vouchers v ON v.payment_id = p.payment_id AND v.kind IN ('PAYMENT', 'REFUND')
             WHERE p.status IN ('PAID', 'REFUNDED') AND v.voucher_id IS NULL AND p.updated_at < now() - @grace
            """, LedgerDifferenceKind.MissingVoucher, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT p.payment_id, NULL, 'payment is ' || p.status || ' but its voucher is a ' || v.kind || ' voucher'
              FROM orders.payments p JOIN accounting.vouchers v ON v.payment_id = p.payment_id
             WHERE (p.status = 'PAID' AND v.kind <> 'PAYMENT') OR (p.status = 'REFUNDED' AND v.kind <> 'REFUND')
                OR ((p.status = 'CLOSED') <> (v.kind = 'LATE_DEBIT_REFUND'))
            """, LedgerDifferenceKind.WrongVoucherKind, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT e.payment_id, NULL, 'late debit ' || e.bank_txn_id || ' of ' || e.amount || ' was returned, '
                   || CASE WHEN posted.voucher_id IS NULL THEN 'no voucher' ELSE 'its voucher takes in ' || posted.received END
              FROM orders.bank_exceptions e
              LEFT JOIN (SELECT v.voucher_id, v.payment_id, v.bank_txn_id,
                                coalesce(sum(l.debit) FILTER (WHERE l.account = @clearing), 0) AS received
                           FROM accounting.vouchers v LEFT JOIN accounting.voucher_lines l ON l.voucher_id = v.voucher_id
                          WHERE v.kind = 'LATE_DEBIT_REFUND'
                          GROUP BY v.voucher_id) posted ON (posted.payment_id, posted.bank_txn_id) = (e.payment_id, e.bank_txn_id)
             WHERE e.refund_status = 'REFUNDED' AND (posted.voucher_id IS NULL OR posted.received <> e.amount)
            """, LedgerDifferenceKind.MissingLateDebitVoucher, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT v.payment_id, NULL, 'voucher ' || v.voucher_id || ' debits ' || coalesce(sum(l.debit), 0) || ' credits ' || coalesce(sum(l.credit), 0)
              FROM accounting.vouchers v LEFT JOIN accounting.voucher_lines l ON l.voucher_id = v.voucher_id
             GROUP BY v.voucher_id, v.payment_id
            HAVING count(l.line_no) = 0 OR sum(l.debit) <> sum(l.credit)
            """, LedgerDifferenceKind.UnbalancedVoucher, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT p.payment_id, NULL,
                   'expected received ' || p.amount || ', payable ' || p.net_amount || ', fee ' || p.fee
                   || '; voucher has ' || posted.received || ', ' || posted.payable || ', ' || posted.fee
              FROM orders.payments p
              JOIN (SELECT v.payment_id,
                           coalesce(sum(l.debit) FILTER (WHERE l.account = @clearing), 0) AS received,
                           coalesce(sum(l.credit) FILTER (WHERE l.account LIKE @payable || '%'), 0) AS payable,
                           coalesce(sum(l.credit) FILTER (WHERE l.account = @feeIncome), 0) AS fee,
                           bool_and(l.account NOT LIKE @payable || '%' OR l.account = @payable || o.merchant_id) AS right_merchant
                      FROM accounting.vouchers v
                      JOIN accounting.voucher_lines l ON l.voucher_id = v.voucher_id
                      JOIN orders.payments o ON o.payment_id = v.payment_id
                     WHERE v.kind = 'PAYMENT'
                     GROUP BY v.payment_id) posted ON posted.payment_id = p.payment_id
             WHERE (posted.received, posted.payable, posted.fee) <> (p.amount, p.net_amount, p.fee) OR NOT posted.right_merchant
            """, LedgerDifferenceKind.VoucherAmountMismatch, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT NULL, a.merchant_id, 'fund balance ' || a.balance || ', ledger merchant-payable ' || coalesce(sum(l.credit) - sum(l.debit), 0)
              FROM funds.accounts a LEFT JOIN accounting.voucher_lines l ON l.account = @payable || a.merchant_id
             WHERE NOT EXISTS (SELECT 1 FROM orders.payments p
                                WHERE p.merchant_id = a.merchant_id AND p.updated_at >= now() - @grace
                                  AND (p.status = 'PROCESSING' OR (p.status = 'PAID' AND p.accounting <> 'POSTED')))
             GROUP BY a.merchant_id, a.balance
            HAVING a.balance <> coalesce(sum(l.credit) - sum(l.debit), 0)
            """, LedgerDifferenceKind.MerchantPayableMismatch, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT NULL, merchant_id, 'pending credit ' || pending_credit || ' since ' || updated_at
              FROM funds.accounts WHERE pending_credit > 0 AND updated_at < now() - @grace
            """, LedgerDifferenceKind.PendingCredit, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT NULL, user_id, 'pending points ' || pending_points || ' since ' || updated_at
              FROM points.accounts WHERE pending_points > 0 AND updated_at < now() - @grace
            """, LedgerDifferenceKind.PendingPoints, cancellationToken);
        await ReadAsync(connection, transaction, grace, differences, """
            SELECT payment_id, NULL, 'paid at ' || coalesce(paid_at::text, '?') || ', voucher still ' || accounting
              FROM orders.payments WHERE status = 'PAID' AND accounting = 'PENDING' AND updated_at < now() - @grace
            """, LedgerDifferenceKind.VoucherPending, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return differences;
    }

    private static async Task ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TimeSpan grace, List<LedgerDifference> differences, string sql, LedgerDifferenceKind kind,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.With("grace", grace).With("clearing", Ledger.BankClearing).With("payable", MerchantPayablePrefix).With("feeIncome", Ledger.FeeIncome);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            differences.Add(new LedgerDifference(kind, reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
        }
    }
}
