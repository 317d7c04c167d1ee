using System.Net;
using Npgsql;
using Payments.Harness;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Chaos;

/// <summary>
/// One platform under chaos: a warm-up, then payments created at once, the bank debiting them, frozen parties, signed
/// callbacks at a fixed concurrency while the target's faults are injected one after another, lost callbacks, orders
/// left to expire and debits after their close, an operator resolving what suspends; then the invariants.
/// </summary>
internal sealed class ChaosPhase(Target target, ChaosSettings settings, LoopbackMerchant merchant, LoopbackBank bank, Action<string> log)
{
    private const int Concurrency = 10;
    private const int WarmupPayments = 10;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private readonly Observations _seen = new();
    private readonly Dictionary<string, string> _keys = [];
    private readonly Dictionary<string, string> _notifyUrls = [];
    private readonly HashSet<(string Kind, string Id)> _unfrozen = [];
    private (string Address, TemporalClient Client)? _temporal;

    public async Task<IReadOnlyList<Check>> RunAsync(int payments, CancellationToken cancellationToken)
    {
        using var client = new PlatformClient(target.ApiAddress, Concurrency * Plan.ContestedResolutions);
        foreach (var (merchantId, behaviour) in Plan.Merchants())
        {
            _keys[merchantId] = (await client.CreateMerchantAsync(merchantId, cancellationToken)).ApiKey;
            _notifyUrls[merchantId] = merchant.NotifyUrl(behaviour);
        }
        await Task.WhenAll(Plan.AllUsers().Select(userId => client.CreateUserAsync(userId, cancellationToken)));

        // Idle is the platform after it has served payments (code compiled, pools open), not a process that never ran one.
        var warmup = await CreateAsync(client, [.. Enumerable.Range(0, WarmupPayments).Select(Plan.Warmup)], "w", cancellationToken);
        await Parallel.ForEachAsync(warmup, Options(cancellationToken), async (paymentId, ct) => await PayAsync(client, paymentId, ct));
        await WaitFinalAsync(cancellationToken);
        _seen.IdleRss = Memory();
        log($"{target.Name}: warmed up with {WarmupPayments} payments; idle RSS {Describe(_seen.IdleRss)}");

        var ids = await CreateAsync(client, [.. Enumerable.Range(0, payments).Select(Plan.For)], "c", cancellationToken);
        await client.SetFrozenAsync("merchants", Plan.FrozenMerchant, frozen: true, cancellationToken);
        await client.SetFrozenAsync("users", Plan.FrozenUserRetried, frozen: true, cancellationToken);
        await client.SetFrozenAsync("users", Plan.FrozenUserRefunded, frozen: true, cancellationToken);
        foreach (var paymentId in ids)
        {
            var plan = _seen.Plans[paymentId];
            if (plan.Bank is BankPath.Callback or BankPath.LostCallback)
            {
                bank.Debit(paymentId, plan.BankTxnId(paymentId), plan.Amount);
            }
            if (plan.RefundRefusedFirst)
            {
                bank.RefuseFirstRefundOf(paymentId);
            }
        }
        log($"{target.Name}: {payments} payments created and all but the unpaid ones debited; merchant {Plan.FrozenMerchant}, users {Plan.FrozenUserRetried} and {Plan.FrozenUserRefunded} frozen");

        using var operating = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var operatorRun = OperateAsync(client, operating.Token);
        var lateDebits = DebitAfterCloseAsync(client, [.. ids.Where(id => _seen.Plans[id].Bank == BankPath.LateDebit)], cancellationToken);
        var called = ids.Where(id => _seen.Plans[id].Bank == BankPath.Callback).ToList();
        var sent = 0;
        var callbacks = Parallel.ForEachAsync(called, Options(cancellationToken), async (paymentId, ct) =>
        {
            await PayAsync(client, paymentId, ct);
            Interlocked.Increment(ref sent);
        });
        // Each fault lands while callbacks are still being sent and earlier payments are mid-saga.
        for (var k = 0; k < target.Faults.Count; k++)
        {
            var due = called.Count * (k + 1) / (target.Faults.Count + 1);
            while (Volatile.Read(ref sent) < due && !callbacks.IsCompleted)
            {
                await Task.Delay(50, cancellationToken);
            }
            log($"{target.Name}: {target.Faults[k].Kind} ({Volatile.Read(ref sent)} of {called.Count} callbacks answered 200)");
            await target.Faults[k].InjectAsync();
        }
        await callbacks;
        log($"{target.Name}: every callback answered 200; waiting for the expiries, the late debits and every payment to end");
        await lateDebits;
        var settled = await WaitFinalAsync(cancellationToken);
        await operating.CancelAsync();
        await operatorRun;
        log($"{target.Name}: {(settled ? "all payments final, no workflow running" : "NOT all payments final")}; idle for {ChaosSettings.SettleTime.TotalSeconds:0} s before the resource checks");
        await Task.Delay(ChaosSettings.SettleTime, cancellationToken);
        _seen.SettledRss = Memory();
        return await Invariants.CheckAsync(target, _seen, merchant, bank, settings, cancellationToken);
    }

    private static ParallelOptions Options(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };

    /// <summary>Creates the payments at a fixed concurrency; their ids in the plans' order.</summary>
    private async Task<string[]> CreateAsync(PlatformClient client, IReadOnlyList<Plan> plans, string prefix, CancellationToken cancellationToken)
    {
        var ids = new string[plans.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, plans.Count), Options(cancellationToken), async (k, ct) =>
        {
            var plan = plans[k];
            ids[k] = await client.CreatePaymentAsync(_keys[plan.MerchantId], $"{prefix}{plan.Index}", plan.UserId, plan.Amount, _notifyUrls[plan.MerchantId], ct);
        });
        for (var k = 0; k < ids.Length; k++)
        {
            _seen.Plans[ids[k]] = plans[k];
        }
        return ids;
    }

    /// <summary>The shopper pays: the bank debits, then sends its signed callback until it is answered 200.</summary>
    private async Task PayAsync(PlatformClient client, string paymentId, CancellationToken cancellationToken)
    {
        var plan = _seen.Plans[paymentId];
        var debit = bank.Debit(paymentId, plan.BankTxnId(paymentId), plan.Amount);
        await client.SendCallbackAsync(paymentId, debit.BankTxnId, debit.Amount, cancellationToken: cancellationToken);
    }

    /// <summary>Once each of these orders is CLOSED, the bank debits it after all and sends the callback.</summary>
    private async Task DebitAfterCloseAsync(PlatformClient client, List<string> paymentIds, CancellationToken cancellationToken)
    {
        var waiting = paymentIds.ToHashSet();
        while (waiting.Count > 0)
        {
            List<string> closed;
            try
            {
                closed = [.. (await StatusesAsync(cancellationToken)).Where(p => waiting.Contains(p.PaymentId) && p.Status == "CLOSED").Select(p => p.PaymentId)];
            }
            catch (Exception e) when (Restarting(e))
            {
                closed = []; // the platform is restarting: ask again
            }
            await Parallel.ForEachAsync(closed, Options(cancellationToken), async (paymentId, ct) => await PayAsync(client, paymentId, ct));
            waiting.ExceptWith(closed);
            if (waiting.Count > 0)
            {
                await Task.Delay(Poll, cancellationToken);
            }
        }
        log($"{target.Name}: {paymentIds.Count} orders debited after their close, each callback answered 200");
    }

    /// <summary>
    /// The operator: once every payment of a frozen party has suspended, unfreezes it; decides every SUSPENDED payment
    /// as its plan says (a contested one by several decisions at once), again after a refused refund.
    /// </summary>
    private async Task OperateAsync(PlatformClient client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var payments = await StatusesAsync(cancellationToken);
                var statusOf = payments.ToDictionary(p => p.PaymentId, p => p.Status);
                var suspended = payments.Where(p => p.Status == "SUSPENDED").ToList();
                foreach (var party in suspended.Select(p => _seen.Plans[p.PaymentId].FrozenParty).OfType<(string Kind, string Id)>().Distinct().ToList())
                {
                    // A party whose payments have not all reached their refusal yet stays frozen, so each of them suspends.
                    if (!_unfrozen.Contains(party)
                        && _seen.Plans.Where(p => p.Value.FrozenParty == party).All(p => statusOf.GetValueOrDefault(p.Key) is "SUSPENDED" or "PAID"))
                    {
                        await client.SetFrozenAsync(party.Kind, party.Id, frozen: false, cancellationToken);
                        _unfrozen.Add(party);
                    }
                }
                await Task.WhenAll(suspended
                    .Where(p => _seen.Plans[p.PaymentId].FrozenParty is not { } party || _unfrozen.Contains(party))
                    .Select(p => DecideAsync(client, p.PaymentId, p.LastError, cancellationToken)));
                await Task.Delay(Poll, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Restarting(e))
            {
                log($"{target.Name}: operator waits, the platform is restarting ({e.GetType().Name})");
                await Task.Delay(Poll, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// What reaching a platform that the run is restarting throws: its database gone, its pid file missing or half
    /// written, its API down or answering 503 past the client's patience, its Temporal server out of reach.
    /// </summary>
    private static bool Restarting(Exception e) =>
        e is NpgsqlException or IOException or FormatException or ArgumentOutOfRangeException or InvalidOperationException or HttpRequestException
            or RpcException;

    private async Task DecideAsync(PlatformClient client, string paymentId, string? lastError, CancellationToken cancellationToken)
    {
        var plan = _seen.Plans[paymentId];
        var action = plan.Resolution ?? "RETRY";
        if (_seen.AcceptedResolutions.TryGetValue(paymentId, out var accepted) && accepted.Contains("REFUND"))
        {
            _seen.ReturnedAfterRefund.TryAdd(paymentId, lastError);
        }
        if (!plan.Contested)
        {
            if (await client.ResolveAsync(paymentId, action, "chaos run operator", cancellationToken) == HttpStatusCode.Accepted)
            {
                _seen.AcceptedResolutions.GetOrAdd(paymentId, _ => new()).Enqueue(action);
            }
            return;
        }
        // Operators deciding the same payment at once, each with a reason of their own: the workflow takes exactly one.
        var answers = await Task.WhenAll(Enumerable.Range(1, Plan.ContestedResolutions)
            .Select(operatorNo => client.ResolveAsync(paymentId, action, $"chaos run operator {operatorNo}", cancellationToken)));
        _seen.Contests.GetOrAdd(paymentId, _ => new()).Enqueue(answers);
        foreach (var _ in answers.Where(answer => answer == HttpStatusCode.Accepted))
        {
            _seen.AcceptedResolutions.GetOrAdd(paymentId, _ => new()).Enqueue(action);
        }
    }

    private async Task<List<(string PaymentId, string Status, string? LastError)>> StatusesAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT payment_id, status, last_error FROM orders.payments", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var payments = new List<(string, string, string?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            payments.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
        return payments;
    }

    /// <summary>
    /// Until every payment is final — PAID or REFUNDED with its voucher posted, or CLOSED — its notification delivered or
    /// given up, every late debit's refund ended, and no workflow running: the run is over when its work is, so the
    /// resource checks' wait starts from there.
    /// </summary>
    private async Task<bool> WaitFinalAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.FinalPatience;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = new NpgsqlConnection(target.ConnectionString() + ";Pooling=false");
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(
                    """
                    SELECT (SELECT count(*) FROM orders.payments p LEFT JOIN notify.notifications n ON n.payment_id = p.payment_id
                            WHERE NOT ((p.status = 'CLOSED' OR (p.status IN ('PAID', 'REFUNDED') AND p.accounting = 'POSTED'))
                                       AND n.status IN ('DELIVERED', 'GAVE_UP')))
                         + (SELECT count(*) FROM orders.bank_exceptions WHERE refund_status = 'PENDING')
                    """, connection);
                if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0 && !await AnyWorkflowRunningAsync(cancellationToken))
                {
                    return true;
                }
            }
            catch (Exception e) when (Restarting(e))
            {
                // Restarting: ask again.
            }
            await Task.Delay(Poll, cancellationToken);
        }
        return false;
    }

    private async Task<bool> AnyWorkflowRunningAsync(CancellationToken cancellationToken)
    {
        // One client per server address: the embedded platform's server moves when the platform restarts.
        var address = target.TemporalAddress();
        if (_temporal?.Address != address)
        {
            _temporal = (address, await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(address)));
        }
        await foreach (var _ in _temporal.Value.Client.ListWorkflowsAsync("ExecutionStatus = 'Running'").WithCancellation(cancellationToken))
        {
            return true;
        }
        return false;
    }

    private Dictionary<string, long> Memory() =>
        target.Processes().ToDictionary(p => p.Key, p => ProcessFigures.Of(p.Value).RssBytes);

    private static string Describe(IReadOnlyDictionary<string, long> memory) =>
        string.Join(", ", memory.Select(m => $"{m.Key} {m.Value / 1048576.0:0} MiB"));
}
