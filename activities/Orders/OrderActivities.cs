using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Orders;

/// <summary>The payment order's side of the completion workflow.</summary>
public sealed class OrderActivities(NpgsqlDataSource dataSource, ILogger<OrderActivities> logger)
{
    [Activity]
    public async Task<PaymentFacts> LoadPaymentAsync(string paymentId)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT payment_id, merchant_id, merchant_order_no, user_id, amount, currency, fee, net_amount, points,
                   notify_url, status, bank_txn_id, paid_at
            FROM orders.payments WHERE payment_id = @id
            """);
        command.Parameters.With("id", paymentId);
        await using var reader = await command.ExecuteReaderAsync(ActivityCancellation.Token);
        if (!await reader.ReadAsync(ActivityCancellation.Token))
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.PaymentNotFound, $"Payment {paymentId} does not exist.");
        }
        return new PaymentFacts(
            reader.GetString("payment_id"),
            reader.GetString("merchant_id"),
            reader.GetString("merchant_order_no"),
            reader.GetString("user_id"),
            reader.GetInt64("amount"),
            reader.GetString("currency"),
            reader.GetInt64("fee"),
            reader.GetInt64("net_amount"),
            reader.GetInt64("points"),
            reader.GetString("notify_url"),
            reader.GetWire<PaymentStatus>("status"),
            reader.GetNullableString("bank_txn_id"),
            reader.GetNullableTimestamp("paid_at"));
    }

    /// <summary>
    /// Compare-and-set along the status machine: already in the target state is success (a retry of this activity);
    /// a move from any other state is refused as non-retryable <c>IllegalTransition</c>.
    /// </summary>
    [Activity]
    public async Task MoveStatusAsync(StatusMove move)
    {
        var allowedFrom = PaymentStatusMachine.AllowedFrom(move.To).Select(WireName.Of).ToArray();
        await using var command = dataSource.CreateCommand(
            """
            WITH moved AS (
                UPDATE orders.payments SET status = @to, step = coalesce(@step, step), updated_at = now()
                WHERE payment_id = @id AND status = ANY(@from)
                RETURNING status)
            SELECT (SELECT status FROM moved) AS moved, (SELECT status FROM orders.payments WHERE payment_id = @id) AS before
            """);
        command.Parameters.With("id", move.PaymentId).With("to", WireName.Of(move.To)).With("from", allowedFrom)
            .WithWire("step", move.Step);
        PaymentStatus? moved, before;
        // Npgsql recycles a reader with its connection: dispose it exactly once, before any other command.
        await using (var reader = await command.ExecuteReaderAsync(ActivityCancellation.Token))
        {
            await reader.ReadAsync(ActivityCancellation.Token);
            moved = reader.GetNullableWire<PaymentStatus>("moved");
            before = reader.GetNullableWire<PaymentStatus>("before");
        }
        if (moved is not null)
        {
            logger.LogInformation("Payment {PaymentId} moved {From} → {To}", move.PaymentId, before, move.To);
            return;
        }
        if (before is null)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.PaymentNotFound, $"Payment {move.PaymentId} does not exist.");
        }
        if (before != move.To)
        {
            throw ParticipantErrors.Refusal(
                ParticipantErrors.IllegalTransition, $"Payment {move.PaymentId} is {WireName.Of(before.Value)}: it cannot move to {WireName.Of(move.To)}.");
        }
        if (move.Step is not null)
        {
            await RecordProgressAsync(new PaymentProgress(move.PaymentId, move.Step));
        }
    }

    /// <summary>Records the live step and branch states for the payment view; fields left null are unchanged.</summary>
    [Activity]
    public async Task RecordProgressAsync(PaymentProgress progress)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE orders.payments SET
                step = coalesce(@step, step),
                fund_account = coalesce(@fund, fund_account),
                points_account = coalesce(@points, points_account),
                accounting = coalesce(@accounting, accounting),
                updated_at = now()
            WHERE payment_id = @id
            """);
        command.Parameters.With("id", progress.PaymentId)
            .WithWire("step", progress.Step)
            .WithWire("fund", progress.FundAccount)
            .WithWire("points", progress.PointsAccount)
            .WithWire("accounting", progress.Accounting);
        if (await command.ExecuteNonQueryAsync(ActivityCancellation.Token) == 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.PaymentNotFound, $"Payment {progress.PaymentId} does not exist.");
        }
    }
}
