using System.Globalization;
using System.Net;
using Npgsql;
using Payments.Harness;
using Temporalio.Client;

namespace Payments.Chaos;

/// <summary>A payment as the platform recorded it, with what hangs off it, for the invariants.</summary>
internal sealed record PaymentRecord(
    string PaymentId, string Status, string MerchantId, string UserId, long NetAmount, long Points, string Notification,
    long Vouchers, long Sends, string? BankTxnId, DateTime? ExpiresAt, DateTime? ClosedAt, long Suspensions, string[] Decisions);

/// <summary>What must hold after a chaos phase, read from the database, the merchant's and the bank's side and the Temporal server.</summary>
internal static class Invariants
{
    public static async Task<IReadOnlyList<Check>> CheckAsync(
        Target target, Observations seen, LoopbackMerchant merchant, LoopbackBank bank, ChaosSettings settings, CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        void Add(string invariant, IReadOnlyCollection<string> violations, string held) =>
            checks.Add(new Check(target.Name, invariant, violations.Count == 0,
                violations.Count == 0 ? held : $"{violations.Count} violations, e.g. {string.Join("; ", violations.Take(3))}"));

        var plans = seen.Plans;
        await using var connection = new NpgsqlConnection(target.ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        var payments = (await RowsAsync(connection,
            """
            SELECT p.payment_id, p.status, p.merchant_id, p.user_id, p.net_amount, p.points, coalesce(n.status, 'NONE'),
                   (SELECT count(*) FROM accounting.vouchers v WHERE v.payment_id = p.payment_id AND v.kind IN ('PAYMENT', 'REFUND')),
                   (SELECT count(*) FROM notify.sends s WHERE s.payment_id = p.payment_id),
                   p.bank_txn_id, p.expires_at,
                   (SELECT min(h.at) FROM orders.status_history h WHERE h.payment_id = p.payment_id AND h.status = 'CLOSED'),
                   (SELECT count(*) FROM orders.status_history h WHERE h.payment_id = p.payment_id AND h.status = 'SUSPENDED'),
                   array(SELECT r.action FROM orders.resolutions r WHERE r.payment_id = p.payment_id ORDER BY r.number)
            FROM orders.payments p LEFT JOIN notify.notifications n ON n.payment_id = p.payment_id
            """, cancellationToken))
            .Select(r => new PaymentRecord((string)r[0], (string)r[1], (string)r[2], (string)r[3], (long)r[4], (long)r[5], (string)r[6],
                (long)r[7], (long)r[8], r[9] as string, r[10] as DateTime?, r[11] as DateTime?, (long)r[12], (string[])r[13]))
            .ToDictionary(p => p.PaymentId);
        string StatusOf(string paymentId) => payments.TryGetValue(paymentId, out var payment) ? payment.Status : "missing";
        IEnumerable<KeyValuePair<string, Plan>> Where(Func<Plan, bool> predicate) => plans.Where(p => predicate(p.Value));

        Add("every payment ends in its planned final status (every callback answered 200 included)",
            plans.Where(p => StatusOf(p.Key) != p.Value.ExpectedStatus).Select(p => $"{p.Key} ({p.Value.Kind}) is {StatusOf(p.Key)}, expected {p.Value.ExpectedStatus}").ToList(),
            string.Join("; ", plans.GroupBy(p => p.Value.Kind).Select(kind =>
                $"{kind.Key}: {string.Join(", ", kind.GroupBy(p => StatusOf(p.Key)).Select(status => $"{status.Count()} {status.Key}"))}")));

        var balances = (await RowsAsync(connection, "SELECT merchant_id, balance, pending_credit FROM funds.accounts", cancellationToken)).ToDictionary(r => (string)r[0]);
        var paid = payments.Values.Where(p => p.Status == "PAID").ToList();
        var owed = paid.GroupBy(p => p.MerchantId).ToDictionary(g => g.Key, g => g.Sum(p => p.NetAmount));
        Add("each paid payment credited to its merchant once (balance = sum of its PAID payments' net amounts)",
            balances.Where(b => (long)b.Value[1] != owed.GetValueOrDefault(b.Key)).Select(b => $"{b.Key}: balance {b.Value[1]}, paid {owed.GetValueOrDefault(b.Key)}").ToList(),
            $"{balances.Count} merchant accounts agree");
        var points = (await RowsAsync(connection, "SELECT user_id, points, pending_points FROM points.accounts", cancellationToken)).ToDictionary(r => (string)r[0]);
        var awarded = paid.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Sum(p => p.Points));
        Add("each paid payment's points awarded once (points = sum of its user's PAID payments' points)",
            points.Where(p => (long)p.Value[1] != awarded.GetValueOrDefault(p.Key)).Select(p => $"{p.Key}: {p.Value[1]} points, paid {awarded.GetValueOrDefault(p.Key)}").ToList(),
            $"{points.Count} points accounts agree");
        Add("pending amounts are zero (fund and points accounts)",
            balances.Where(b => (long)b.Value[2] != 0).Select(b => $"merchant {b.Key} pending {b.Value[2]}")
                .Concat(points.Where(p => (long)p.Value[2] != 0).Select(p => $"user {p.Key} pending {p.Value[2]}")).ToList(),
            "all zero");

        var unbalanced = await RowsAsync(connection,
            "SELECT voucher_id FROM accounting.voucher_lines GROUP BY voucher_id HAVING sum(debit) <> sum(credit)", cancellationToken);
        var lateDebitVouchers = (await RowsAsync(connection,
            "SELECT payment_id, bank_txn_id FROM accounting.vouchers WHERE kind = 'LATE_DEBIT_REFUND'", cancellationToken))
            .Select(r => ((string)r[0], (string)r[1])).ToList();
        var lateDebitsReturned = Where(p => p.Bank == BankPath.LateDebit).Select(p => (p.Key, p.Value.BankTxnId(p.Key))).ToHashSet();
        Add("exactly one balanced voucher per PAID or REFUNDED payment and per late debit returned, none for the others",
            payments.Values.Where(p => p.Vouchers != (p.Status is "PAID" or "REFUNDED" ? 1 : 0)).Select(p => $"{p.PaymentId} ({p.Status}) has {p.Vouchers} vouchers")
                .Concat(lateDebitsReturned.Where(late => lateDebitVouchers.Count(v => v == late) != 1).Select(late => $"late debit {late.Item2} has {lateDebitVouchers.Count(v => v == late)} vouchers"))
                .Concat(lateDebitVouchers.Where(v => !lateDebitsReturned.Contains(v)).Select(v => $"late-debit voucher for {v.Item2}, which was never debited late"))
                .Concat(unbalanced.Select(r => $"voucher {r[0]} does not balance")).ToList(),
            $"{payments.Values.Count(p => p.Vouchers == 1)} payment and refund vouchers, {lateDebitVouchers.Count} late-debit refund vouchers, all balanced");

        var ledger = (await RowsAsync(connection,
            """
            SELECT substring(account from length('2202 merchant-payable:') + 1), sum(credit) - sum(debit)
            FROM accounting.voucher_lines WHERE account LIKE '2202 merchant-payable:%' GROUP BY 1
            """, cancellationToken)).ToDictionary(r => (string)r[0], r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture));
        Add("merchant-payable credits in the ledger equal merchant balances",
            balances.Where(b => ledger.GetValueOrDefault(b.Key) != (long)b.Value[1]).Select(b => $"{b.Key}: ledger {ledger.GetValueOrDefault(b.Key)}, balance {b.Value[1]}").ToList(),
            "every merchant agrees");

        Add("every notification delivered or given up as its endpoint dictates, announcing the payment's final status",
            plans.Where(p => payments.ContainsKey(p.Key) && !NotificationAsDictated(p.Value, payments[p.Key], merchant.ReceiptsOf(p.Key)))
                .Select(p => $"{p.Key} ({p.Value.Behaviour} endpoint, {StatusOf(p.Key)}) is {payments[p.Key].Notification} after receipts announcing [{string.Join(", ", merchant.ReceiptsOf(p.Key).Select(r => r.Status))}]").ToList(),
            $"{plans.Count(p => p.Value.Behaviour == MerchantBehaviour.Acknowledges)} acknowledging endpoints delivered, {plans.Count(p => p.Value.Behaviour == MerchantBehaviour.Failing)} failing ones given up, {plans.Count(p => p.Value.Behaviour == MerchantBehaviour.Unreliable)} unreliable ones either");
        Add("every delivery the merchant received is in the attempt log (notify.sends)",
            plans.Where(p => payments.ContainsKey(p.Key) && merchant.ReceiptsOf(p.Key).Count > payments[p.Key].Sends)
                .Select(p => $"{p.Key}: received {merchant.ReceiptsOf(p.Key).Count}, logged {payments[p.Key].Sends}").ToList(),
            $"{plans.Sum(p => merchant.ReceiptsOf(p.Key).Count)} deliveries received, {payments.Values.Sum(p => p.Sends)} logged");

        Add("each suspended payment decided as often as it needed: RETRY once, REFUND once (twice after a refusal), every 202 recorded",
            plans.Where(p => payments.ContainsKey(p.Key) && !DecidedAsPlanned(p.Value, payments[p.Key], seen.AcceptedResolutions.GetValueOrDefault(p.Key)?.ToArray() ?? []))
                .Select(p => $"{p.Key} ({p.Value.Kind}) recorded [{string.Join(", ", payments[p.Key].Decisions)}], answered 202 for [{string.Join(", ", seen.AcceptedResolutions.GetValueOrDefault(p.Key)?.ToArray() ?? [])}]").ToList(),
            $"{payments.Values.Sum(p => p.Decisions.Length)} decisions recorded, {seen.AcceptedResolutions.Values.Sum(q => q.Count)} answered 202");

        var refusedFirst = Where(p => p.RefundRefusedFirst).ToList();
        Add("a refund the bank refused returned its payment to SUSPENDED with lastError, was decided again, then REFUNDED",
            refusedFirst.Where(p => !(bank.Refused.GetValueOrDefault(p.Key) == 1 && payments[p.Key].Suspensions == 2 && StatusOf(p.Key) == "REFUNDED"
                    && (!seen.ReturnedAfterRefund.TryGetValue(p.Key, out var lastError) || !string.IsNullOrEmpty(lastError))))
                .Select(p => $"{p.Key}: refused {bank.Refused.GetValueOrDefault(p.Key)} times, suspended {payments[p.Key].Suspensions} times, lastError seen '{seen.ReturnedAfterRefund.GetValueOrDefault(p.Key)}', {StatusOf(p.Key)}").ToList(),
            $"{refusedFirst.Count} refused, each back to SUSPENDED ({seen.ReturnedAfterRefund.Count(r => refusedFirst.Any(p => p.Key == r.Key))} seen there by the operator with lastError, e.g. '{seen.ReturnedAfterRefund.Values.FirstOrDefault()}'), each REFUNDED after a second REFUND");

        var lateDebits = (await RowsAsync(connection,
            "SELECT payment_id, bank_txn_id, refund_status FROM orders.bank_exceptions WHERE refund_status IS NOT NULL", cancellationToken))
            .ToLookup(r => (string)r[0], r => (BankTxnId: (string)r[1], RefundStatus: (string)r[2]));
        var expectedRefunds = plans.Where(p => StatusOf(p.Key) == "REFUNDED").Select(p => $"rfd_{p.Key}")
            .Concat(Where(p => p.Bank == BankPath.LateDebit).Select(p => $"rfd_{p.Value.BankTxnId(p.Key)}")).ToHashSet();
        Add("the bank returned money once for each REFUNDED payment and each late debit, and for nothing else",
            expectedRefunds.Where(id => !bank.Refunds.ContainsKey(id)).Select(id => $"{id} never accepted by the bank")
                .Concat(bank.Refunds.Keys.Where(id => !expectedRefunds.Contains(id)).Select(id => $"{id} ({StatusOf(bank.Refunds[id].PaymentId)}) refunded but should not be")).ToList(),
            $"{bank.Refunds.Count} refunds ({bank.Refunds.Values.Sum(r => r.Requests)} requests, repeats idempotent)");

        var lost = Where(p => p.Bank == BankPath.LostCallback).ToList();
        Add("each lost callback recovered by the bank status query: PAID with the bank's transaction",
            lost.Where(p => StatusOf(p.Key) != "PAID" || payments[p.Key].BankTxnId != bank.DebitOf(p.Key)?.BankTxnId || bank.Queries.GetValueOrDefault(p.Key) == 0)
                .Select(p => $"{p.Key} is {StatusOf(p.Key)} with {payments.GetValueOrDefault(p.Key)?.BankTxnId ?? "no transaction"}, asked {bank.Queries.GetValueOrDefault(p.Key)} times").ToList(),
            $"{lost.Count} recovered, no callback sent");

        var unpaid = Where(p => p.Bank is BankPath.Unpaid or BankPath.LateDebit).ToList();
        Add("each order nobody paid closed at its expiry (CLOSED, not before expiresAt, nothing debited on it), its merchant notified CLOSED",
            unpaid.Where(p => payments[p.Key] is not { Status: "CLOSED", BankTxnId: null, ClosedAt: { } closedAt, ExpiresAt: { } expiresAt } || closedAt < expiresAt
                    || !merchant.ReceiptsOf(p.Key).Any(r => r.Status == "CLOSED"))
                .Select(p => $"{p.Key} is {StatusOf(p.Key)} at {payments[p.Key].ClosedAt:O} (expires {payments[p.Key].ExpiresAt:O}), notified [{string.Join(", ", merchant.ReceiptsOf(p.Key).Select(r => r.Status))}]").ToList(),
            $"{unpaid.Count} closed, {unpaid.Count(p => p.Value.Bank == BankPath.LateDebit)} of them debited afterwards");

        var late = Where(p => p.Bank == BankPath.LateDebit).ToList();
        Add("each debit after the close given back by LateDebitRefund: the order stays CLOSED, its bank exception REFUNDED (its voucher above)",
            late.Where(p => StatusOf(p.Key) != "CLOSED" || !lateDebits[p.Key].Contains((p.Value.BankTxnId(p.Key), "REFUNDED")))
                .Select(p => $"{p.Key} is {StatusOf(p.Key)}, exceptions [{string.Join(", ", lateDebits[p.Key])}]").ToList(),
            $"{late.Count} late debits refunded");

        var contests = seen.Contests.ToDictionary(c => c.Key, c => c.Value.ToArray());
        var contested = Where(p => p.Contested).ToList();
        // A request the API gave up on after 10 s (503) is retried, and the retry finds the payment decided (409): so a
        // burst may see no 202 although one of its decisions took effect. Exactly one taking effect is the invariant.
        Add($"of {Plan.ContestedResolutions} concurrent resolutions exactly one takes effect (one decision recorded), at most one answered 202, the others 409",
            contested.Where(p => !contests.TryGetValue(p.Key, out var bursts) || payments[p.Key].Decisions.Length != 1
                    || bursts.Any(b => b.Count(a => a == HttpStatusCode.Accepted) > 1 || b.Any(a => a is not (HttpStatusCode.Accepted or HttpStatusCode.Conflict))))
                .Select(p => $"{p.Key}: {payments[p.Key].Decisions.Length} decisions recorded, bursts [{string.Join(" | ", contests.GetValueOrDefault(p.Key)?.Select(b => string.Join(" ", b.Select(a => (int)a))) ?? [])}]").ToList(),
            $"{contested.Count} contested payments, one decision each; {contests.Values.Sum(b => b.Count(burst => burst.Contains(HttpStatusCode.Accepted)))} bursts answered one 202, {contests.Values.Sum(b => b.Count(burst => !burst.Contains(HttpStatusCode.Accepted)))} all 409 (before the workflow waited, or after a 503)");

        Add("every request to the bank carried the platform's bank signature",
            bank.Unsigned > 0 ? [$"{bank.Unsigned} unsigned or badly signed requests"] : [],
            $"{bank.Queries.Values.Sum()} status queries and {bank.Refunds.Values.Sum(r => r.Requests) + bank.Refused.Values.Sum()} refund requests, all signed");

        var temporal = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(target.TemporalAddress()));
        var running = new List<string>();
        await foreach (var execution in temporal.ListWorkflowsAsync("ExecutionStatus = 'Running'").WithCancellation(cancellationToken))
        {
            running.Add(execution.Id);
        }
        Add("no workflow running that should not be (every payment is final)", running, "none running");

        var waited = $"{ChaosSettings.SettleTime.TotalSeconds:0} s after the run";
        Add($"{waited}: RSS at most 1.25 × its idle level (idle: after a warm-up of a few payments)",
            seen.SettledRss.Where(p => p.Value > seen.IdleRss.GetValueOrDefault(p.Key) * 1.25)
                .Select(p => $"{p.Key} {p.Value / 1048576.0:0} MiB, idle {seen.IdleRss.GetValueOrDefault(p.Key) / 1048576.0:0} MiB").ToList(),
            string.Join(", ", seen.SettledRss.Select(p => $"{p.Key} {p.Value / 1048576.0:0} MiB (idle {seen.IdleRss.GetValueOrDefault(p.Key) / 1048576.0:0})")));
        var backends = await Backend.ListAsync(connection, cancellationToken);
        var held = $"{backends.Count} backends ({Backend.PerApplication(backends)})";
        Add($"{waited}: PostgreSQL backends at most the pool's minimum ({ChaosSettings.PoolMinimum}) + 5",
            backends.Count > ChaosSettings.PoolMinimum + 5 ? [$"{held}: {string.Join("; ", backends)}"] : [], held);
        return checks;
    }

    /// <summary>
    /// An acknowledging endpoint ends DELIVERED, a failing one GAVE_UP; an unreliable one DELIVERED only after a success it
    /// answered; every receipt announced the payment's final status.
    /// </summary>
    private static bool NotificationAsDictated(Plan plan, PaymentRecord payment, IReadOnlyList<MerchantReceipt> receipts) =>
        receipts.All(r => r.Status == payment.Status) && plan.Behaviour switch
        {
            MerchantBehaviour.Acknowledges => payment.Notification == "DELIVERED",
            MerchantBehaviour.Failing => payment.Notification == "GAVE_UP",
            _ => (payment.Notification == "DELIVERED" && receipts.Any(r => r.Acknowledged)) || payment.Notification == "GAVE_UP",
        };

    /// <summary>The decisions recorded on the order are the plan's, and each one the API answered 202 is among them.</summary>
    private static bool DecidedAsPlanned(Plan plan, PaymentRecord payment, string[] accepted)
    {
        string[] planned = plan.Resolution switch
        {
            null => [],
            "REFUND" when plan.RefundRefusedFirst => ["REFUND", "REFUND"],
            var action => [action],
        };
        // A RETRY party unfrozen before one of its payments tried pays it without a decision.
        var needed = plan.Resolution == "RETRY" && payment.Suspensions == 0 ? [] : planned;
        return payment.Decisions.SequenceEqual(needed) && accepted.Length <= payment.Decisions.Length && accepted.All(payment.Decisions.Contains);
    }

    private static async Task<List<object[]>> RowsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<object[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }
}
