using System.Collections.Concurrent;
using Npgsql;
using Payments.Harness;
using Temporalio.Client;

namespace Payments.Chaos;

/// <summary>What must hold after a chaos phase, read from the database, the merchant's side and the Temporal server.</summary>
internal static class Invariants
{
    public static async Task<IReadOnlyList<Check>> CheckAsync(
        Target target,
        IReadOnlyDictionary<string, Plan> plans,
        ConcurrentDictionary<string, ConcurrentQueue<string>> resolutions,
        LoopbackMerchant merchant,
        IReadOnlyDictionary<string, long> idleRss,
        IReadOnlyDictionary<string, long> settledRss,
        ChaosSettings settings,
        CancellationToken cancellationToken)
    {
        var checks = new List<Check>();
        void Add(string invariant, IReadOnlyCollection<string> violations, string held) =>
            checks.Add(new Check(target.Name, invariant, violations.Count == 0,
                violations.Count == 0 ? held : $"{violations.Count} violations, e.g. {string.Join("; ", violations.Take(3))}"));

        await using var connection = new NpgsqlConnection(target.ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        var payments = await RowsAsync(connection,
            """
            SELECT p.payment_id, p.status, p.merchant_id, p.user_id, p.net_amount, p.points, coalesce(n.status, 'NONE'),
                   (SELECT count(*) FROM accounting.vouchers v WHERE v.payment_id = p.payment_id AND v.kind IN ('PAYMENT', 'REFUND')),
                   (SELECT count(*) FROM notify.sends s WHERE s.payment_id = p.payment_id)
            FROM orders.payments p LEFT JOIN notify.notifications n ON n.payment_id = p.payment_id
            """, cancellationToken);
        var byId = payments.ToDictionary(row => (string)row[0]);

        Add("every callback answered 200 ends in its right final status (PAID, or REFUNDED when refunded)",
            plans.Where(p => !byId.TryGetValue(p.Key, out var row) || (string)row[1] != p.Value.ExpectedStatus)
                .Select(p => $"{p.Key} is {(byId.TryGetValue(p.Key, out var row) ? row[1] : "missing")}, expected {p.Value.ExpectedStatus}").ToList(),
            $"{plans.Count} payments: {plans.Count(p => p.Value.ExpectedStatus == "PAID")} PAID, {plans.Count(p => p.Value.ExpectedStatus == "REFUNDED")} REFUNDED");

        var balances = (await RowsAsync(connection, "SELECT merchant_id, balance, pending_credit FROM funds.accounts", cancellationToken)).ToDictionary(r => (string)r[0]);
        var owed = payments.Where(r => (string)r[1] == "PAID").GroupBy(r => (string)r[2]).ToDictionary(g => g.Key, g => g.Sum(r => (long)r[4]));
        Add("each paid payment credited to its merchant once (balance = sum of its PAID payments' net amounts)",
            balances.Where(b => (long)b.Value[1] != owed.GetValueOrDefault(b.Key)).Select(b => $"{b.Key}: balance {b.Value[1]}, paid {owed.GetValueOrDefault(b.Key)}").ToList(),
            $"{balances.Count} merchant accounts agree");
        var points = (await RowsAsync(connection, "SELECT user_id, points, pending_points FROM points.accounts", cancellationToken)).ToDictionary(r => (string)r[0]);
        var awarded = payments.Where(r => (string)r[1] == "PAID").GroupBy(r => (string)r[3]).ToDictionary(g => g.Key, g => g.Sum(r => (long)r[5]));
        Add("each paid payment's points awarded once (points = sum of its user's PAID payments' points)",
            points.Where(p => (long)p.Value[1] != awarded.GetValueOrDefault(p.Key)).Select(p => $"{p.Key}: {p.Value[1]} points, paid {awarded.GetValueOrDefault(p.Key)}").ToList(),
            $"{points.Count} points accounts agree");
        Add("pending amounts are zero (fund and points accounts)",
            balances.Where(b => (long)b.Value[2] != 0).Select(b => $"merchant {b.Key} pending {b.Value[2]}")
                .Concat(points.Where(p => (long)p.Value[2] != 0).Select(p => $"user {p.Key} pending {p.Value[2]}")).ToList(),
            "all zero");

        var unbalanced = await RowsAsync(connection,
            "SELECT voucher_id FROM accounting.voucher_lines GROUP BY voucher_id HAVING sum(debit) <> sum(credit)", cancellationToken);
        Add("exactly one balanced voucher per PAID or REFUNDED payment, none for the others",
            payments.Where(r => (long)r[7] != ((string)r[1] is "PAID" or "REFUNDED" ? 1 : 0)).Select(r => $"{r[0]} ({r[1]}) has {r[7]} vouchers")
                .Concat(unbalanced.Select(r => $"voucher {r[0]} does not balance")).ToList(),
            $"{payments.Count(r => (long)r[7] == 1)} vouchers, all balanced");

        var ledger = (await RowsAsync(connection,
            """
            SELECT substring(account from length('2202 merchant-payable:') + 1), sum(credit) - sum(debit)
            FROM accounting.voucher_lines WHERE account LIKE '2202 merchant-payable:%' GROUP BY 1
            """, cancellationToken)).ToDictionary(r => (string)r[0], r => Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture));
        Add("merchant-payable credits in the ledger equal merchant balances",
            balances.Where(b => ledger.GetValueOrDefault(b.Key) != (long)b.Value[1]).Select(b => $"{b.Key}: ledger {ledger.GetValueOrDefault(b.Key)}, balance {b.Value[1]}").ToList(),
            "every merchant agrees");

        Add("every notification delivered or given up as its endpoint dictates",
            plans.Where(p => byId.ContainsKey(p.Key) && !NotificationAsDictated(p.Value, (string)byId[p.Key][6], merchant.ReceiptsOf(p.Key)))
                .Select(p => $"{p.Key} ({p.Value.Behaviour} endpoint) is {byId[p.Key][6]} after {merchant.ReceiptsOf(p.Key).Count} receipts").ToList(),
            $"{plans.Count(p => p.Value.Behaviour == MerchantBehaviour.Acknowledges)} acknowledging endpoints delivered, {plans.Count(p => p.Value.Behaviour == MerchantBehaviour.Failing)} failing ones given up, {plans.Count(p => p.Value.Behaviour == MerchantBehaviour.Unreliable)} unreliable ones either");
        Add("every delivery the merchant received is in the attempt log (notify.sends)",
            plans.Where(p => byId.ContainsKey(p.Key) && merchant.ReceiptsOf(p.Key).Count > (long)byId[p.Key][8])
                .Select(p => $"{p.Key}: received {merchant.ReceiptsOf(p.Key).Count}, logged {byId[p.Key][8]}").ToList(),
            $"{plans.Sum(p => merchant.ReceiptsOf(p.Key).Count)} deliveries received, {payments.Sum(r => (long)r[8])} logged");

        var temporal = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(target.TemporalAddress()));
        var running = new List<string>();
        await foreach (var execution in temporal.ListWorkflowsAsync("ExecutionStatus = 'Running'").WithCancellation(cancellationToken))
        {
            running.Add(execution.Id);
        }
        Add("no workflow running that should not be (every payment is final)", running, "none running");

        var waited = $"{settings.SettleTime.TotalSeconds:0} s after the run{(settings.Ci ? " (CI: shortened from 60 s)" : "")}";
        Add($"{waited}: RSS at most 1.25 × its idle level",
            settledRss.Where(p => p.Value > idleRss.GetValueOrDefault(p.Key) * 1.25)
                .Select(p => $"{p.Key} {p.Value / 1048576.0:0} MiB, idle {idleRss.GetValueOrDefault(p.Key) / 1048576.0:0} MiB").ToList(),
            string.Join(", ", settledRss.Select(p => $"{p.Key} {p.Value / 1048576.0:0} MiB (idle {idleRss.GetValueOrDefault(p.Key) / 1048576.0:0})")));
        var backends = (long)(await RowsAsync(connection,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", cancellationToken))[0][0];
        Add($"{waited}: PostgreSQL backends at most the pool's minimum ({ChaosSettings.PoolMinimum}) + 5",
            backends > ChaosSettings.PoolMinimum + 5 ? [$"{backends} backends"] : [], $"{backends} backends");
        return checks;
    }

    /// <summary>An acknowledging endpoint ends DELIVERED, a failing one GAVE_UP; an unreliable one DELIVERED only after a success it answered.</summary>
    private static bool NotificationAsDictated(Plan plan, string status, IReadOnlyList<MerchantReceipt> receipts) => plan.Behaviour switch
    {
        MerchantBehaviour.Acknowledges => status == "DELIVERED",
        MerchantBehaviour.Failing => status == "GAVE_UP",
        _ => (status == "DELIVERED" && receipts.Any(r => r.Acknowledged)) || status == "GAVE_UP",
    };

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
