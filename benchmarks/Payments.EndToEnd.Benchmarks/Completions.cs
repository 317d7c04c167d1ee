using Npgsql;
using Payments.Harness;

namespace Payments.EndToEnd.Benchmarks;

/// <summary>
/// When each payment was completed: PAID (the order's status history), its voucher posted, its notification received;
/// and when it became PROCESSING (the workflow's first step after the bank result), to split the callback's latency.
/// </summary>
public sealed record Completion(string PaymentId, DateTimeOffset ProcessingAt, DateTimeOffset PaidAt, DateTimeOffset VoucherPostedAt, DateTimeOffset ReceivedAt)
{
    public DateTimeOffset CompletedAt => new[] { PaidAt, VoucherPostedAt, ReceivedAt }.Max();
}

internal static class Completions
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Waits until the merchant received every payment's notification (read in this process, not from the database),
    /// then reads PAID and voucher times from the database; <paramref name="progress"/> gets the count received so far.
    /// </summary>
    public static async Task<IReadOnlyList<Completion>> AwaitAsync(
        IReadOnlyList<string> paymentIds, LoopbackMerchant merchant, NpgsqlDataSource database, Action<int> progress, TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var received = paymentIds.Count(id => merchant.ReceiptsOf(id).Count > 0);
            progress(received);
            if (received == paymentIds.Count)
            {
                break;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{paymentIds.Count - received} of {paymentIds.Count} payments were not notified within {patience.TotalSeconds:0} s.");
            }
            await Task.Delay(Poll, cancellationToken);
        }
        while (true)
        {
            var completions = await ReadAsync(paymentIds, merchant, database, cancellationToken);
            if (completions.Count == paymentIds.Count)
            {
                return completions;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{paymentIds.Count - completions.Count} payments were notified but not PAID with a voucher within {patience.TotalSeconds:0} s.");
            }
            await Task.Delay(Poll, cancellationToken);
        }
    }

    /// <summary>
    /// When each payment's TCC phases began, from the barrier rows (<c>created_at</c> is the transaction's start): the later
    /// of its two tries, the later of its two confirms, in round 1. Splits PROCESSING → PAID into the worker's local steps.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, (DateTimeOffset TriesAt, DateTimeOffset ConfirmsAt)>> TccPhasesAsync(
        IReadOnlyList<string> paymentIds, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            SELECT split_part(b.gid, ':', 1), max(b.created_at) FILTER (WHERE b.op = 'try'), max(b.created_at) FILTER (WHERE b.op = 'confirm')
            FROM (SELECT gid, op, created_at FROM funds.barrier UNION ALL SELECT gid, op, created_at FROM points.barrier) b
            WHERE b.gid = ANY($1)
            GROUP BY b.gid
            HAVING bool_or(b.op = 'try') AND bool_or(b.op = 'confirm')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = paymentIds.Select(id => $"{id}:1").ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var phases = new Dictionary<string, (DateTimeOffset, DateTimeOffset)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            phases[reader.GetString(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2));
        }
        return phases;
    }

    private static async Task<List<Completion>> ReadAsync(IReadOnlyList<string> paymentIds, LoopbackMerchant merchant, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(
            """
            SELECT h.payment_id, coalesce(min(h.at) FILTER (WHERE h.status = 'PROCESSING'), min(h.at) FILTER (WHERE h.status = 'PAID')), min(h.at) FILTER (WHERE h.status = 'PAID'), min(v.posted_at)
            FROM orders.status_history h JOIN accounting.vouchers v ON v.payment_id = h.payment_id
            WHERE h.status IN ('PROCESSING', 'PAID') AND h.payment_id = ANY($1)
            GROUP BY h.payment_id
            HAVING bool_or(h.status = 'PAID')
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = paymentIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var completions = new List<Completion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var paymentId = reader.GetString(0);
            completions.Add(new Completion(
                paymentId, reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3),
                merchant.ReceiptsOf(paymentId)[0].At));
        }
        return completions;
    }
}
