using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Payments.Harness;

namespace Payments.Chaos;

/// <summary>
/// One platform under chaos: payments created, frozen parties, signed callbacks at a fixed concurrency while the
/// target's faults are injected one after another, an operator resolving what suspends, then the invariants.
/// </summary>
internal sealed class ChaosPhase(Target target, ChaosSettings settings, LoopbackMerchant merchant, LoopbackBank bank, Action<string> log)
{
    private const int Concurrency = 10;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _acceptedResolutions = new();
    private readonly Dictionary<string, Plan> _plans = [];
    private readonly Dictionary<string, string> _notifyUrls = [];

    public async Task<IReadOnlyList<Check>> RunAsync(int payments, CancellationToken cancellationToken)
    {
        using var client = new PlatformClient(target.ApiAddress, Concurrency);
        var keys = new Dictionary<string, string>();
        foreach (var (merchantId, behaviour) in Plan.Merchants())
        {
            keys[merchantId] = (await client.CreateMerchantAsync(merchantId, cancellationToken)).ApiKey;
            _notifyUrls[merchantId] = merchant.NotifyUrl(behaviour);
        }
        foreach (var userId in Plan.AllUsers())
        {
            await client.CreateUserAsync(userId, cancellationToken);
        }
        var idle = Memory();
        log($"{target.Name}: idle RSS {Describe(idle)}");

        var plans = Enumerable.Range(0, payments).Select(Plan.For).ToList();
        var ids = new string[plans.Count];
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (plan, ct) =>
            ids[plan.Index] = await client.CreatePaymentAsync(keys[plan.MerchantId], $"c{plan.Index}", plan.UserId, plan.Amount, _notifyUrls[plan.MerchantId], ct));
        for (var i = 0; i < plans.Count; i++)
        {
            _plans[ids[i]] = plans[i];
            if (plans[i].RefundRefusedFirst)
            {
                bank.RefuseFirstRefundOf(ids[i]);
            }
        }
        await client.SetFrozenAsync("merchants", Plan.FrozenMerchant, frozen: true, cancellationToken);
        await client.SetFrozenAsync("users", Plan.FrozenUserRetried, frozen: true, cancellationToken);
        await client.SetFrozenAsync("users", Plan.FrozenUserRefunded, frozen: true, cancellationToken);
        log($"{target.Name}: {payments} payments created; merchant {Plan.FrozenMerchant}, users {Plan.FrozenUserRetried} and {Plan.FrozenUserRefunded} frozen");

        using var resolving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var resolver = ResolveSuspendedAsync(client, resolving.Token);
        var sent = 0;
        var callbacks = Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken }, async (paymentId, ct) =>
        {
            await client.SendCallbackAsync(paymentId, $"B-{paymentId}", _plans[paymentId].Amount, cancellationToken: ct);
            Interlocked.Increment(ref sent);
        });
        // Each fault lands while callbacks are still being sent and earlier payments are mid-saga.
        for (var k = 0; k < target.Faults.Count; k++)
        {
            var due = payments * (k + 1) / (target.Faults.Count + 1);
            while (Volatile.Read(ref sent) < due && !callbacks.IsCompleted)
            {
                await Task.Delay(100, cancellationToken);
            }
            log($"{target.Name}: {target.Faults[k].Kind} ({Volatile.Read(ref sent)} of {payments} callbacks answered 200)");
            await target.Faults[k].InjectAsync();
        }
        await callbacks;
        log($"{target.Name}: every callback answered 200; waiting for every payment to end");
        var settled = await WaitFinalAsync(cancellationToken);
        await resolving.CancelAsync();
        await resolver.ContinueWith(_ => { }, TaskScheduler.Default);
        log($"{target.Name}: {(settled ? "all payments final" : "NOT all payments final")}; idle for {settings.SettleTime.TotalSeconds:0} s before the resource checks");
        await Task.Delay(settings.SettleTime, cancellationToken);
        return await Invariants.CheckAsync(target, _plans, _acceptedResolutions, merchant, idle, Memory(), settings, cancellationToken);
    }

    /// <summary>The operator: unfreezes what a RETRY needs and decides every SUSPENDED payment as its plan says, again after a refused refund.</summary>
    private async Task ResolveSuspendedAsync(PlatformClient client, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                foreach (var paymentId in await SuspendedAsync(cancellationToken))
                {
                    var plan = _plans[paymentId];
                    var action = plan.Resolution ?? "RETRY";
                    if (action == "RETRY")
                    {
                        await client.SetFrozenAsync("merchants", plan.MerchantId, frozen: false, cancellationToken);
                        await client.SetFrozenAsync("users", plan.UserId, frozen: false, cancellationToken);
                    }
                    if (await client.ResolveAsync(paymentId, action, cancellationToken: cancellationToken) == HttpStatusCode.Accepted)
                    {
                        _acceptedResolutions.GetOrAdd(paymentId, _ => new()).Enqueue(action);
                    }
                }
                await Task.Delay(Poll, cancellationToken);
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or HttpRequestException)
            {
                // The run itself is restarting the database or the platform (its pid file and port change): ask again.
                log($"{target.Name}: operator waits, the platform is restarting ({e.GetType().Name})");
                await Task.Delay(Poll, cancellationToken);
            }
        }
    }

    private async Task<List<string>> SuspendedAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT payment_id FROM orders.payments WHERE status = 'SUSPENDED'", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    /// <summary>Until every payment is PAID or REFUNDED with its voucher posted and its notification delivered or given up.</summary>
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
                    SELECT count(*) FROM orders.payments p LEFT JOIN notify.notifications n ON n.payment_id = p.payment_id
                    WHERE NOT (p.status IN ('PAID', 'REFUNDED') AND p.accounting = 'POSTED' AND n.status IN ('DELIVERED', 'GAVE_UP'))
                    """, connection);
                if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
            {
                // Restarting: ask again.
            }
            await Task.Delay(Poll, cancellationToken);
        }
        return false;
    }

    private Dictionary<string, long> Memory() =>
        target.Processes().ToDictionary(p => p.Key, p => ProcessFigures.Of(p.Value).RssBytes);

    private static string Describe(Dictionary<string, long> memory) =>
        string.Join(", ", memory.Select(m => $"{m.Key} {m.Value / 1048576.0:0} MiB"));
}
