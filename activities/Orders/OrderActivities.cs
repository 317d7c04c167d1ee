using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Orders;

/// <summary>The payment order's side of the completion workflow: the only writer of a payment's status after its creation.</summary>
public sealed class OrderActivities(NpgsqlDataSource dataSource, PaymentOrderStore orders, ILogger<OrderActivities> logger)
{
    /// <summary>The view's columns a move or a progress record sets; a null parameter leaves its column as it is.</summary>
    private const string ProgressColumns =
        """
        step = coalesce(@step, step), fund_account = coalesce(@fund, fund_account), points_account = coalesce(@points, points_account),
        accounting = coalesce(@accounting, accounting)
        """;

    [Activity]
    public async Task<PaymentFacts> LoadPaymentAsync(string paymentId)
    {
        await using var command = dataSource.CreateCommand($"SELECT {OrderRow.Columns} FROM orders.payments p WHERE p.payment_id = @id");
        command.Parameters.With("id", paymentId);
        await using var reader = await command.ExecuteReaderAsync(ActivityCancellation.Token);
        if (!await reader.ReadAsync(ActivityCancellation.Token))
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.PaymentNotFound, $"Payment {paymentId} does not exist.");
        }
        return OrderRow.Read(reader);
    }

    /// <summary>
    /// Compare-and-set along the status machine, with the view's step, branch and accounting states in the same update:
    /// already in the target state is success (a retry of this activity), as is a numbered move the order has already
    /// passed (a workflow task run again repeats its local steps in order); a move from any other state is refused as
    /// non-retryable <c>IllegalTransition</c>.
    /// </summary>
    [Activity]
    public async Task MoveStatusAsync(StatusMove move)
    {
        var allowedFrom = PaymentStatusMachine.AllowedFrom(move.To).Select(WireName.Of).ToArray();
        await using var command = dataSource.CreateCommand(
            $"""
            WITH moved AS (
                UPDATE orders.payments SET status = @to, {ProgressColumns}, last_error = @last_error,
                                           workflow_moves = coalesce(@number, workflow_moves), updated_at = now()
                WHERE payment_id = @id AND status = ANY(@from) AND workflow_moves < coalesce(@number, 2147483647)
                RETURNING status)
            SELECT (SELECT status FROM moved) AS moved, status AS before, workflow_moves FROM orders.payments WHERE payment_id = @id
            """);
        BindProgress(command.Parameters, ProgressOf(move)).With("to", WireName.Of(move.To)).With("from", allowedFrom)
            .WithNullable("last_error", move.LastError, NpgsqlTypes.NpgsqlDbType.Text).WithNullable("number", move.Number, NpgsqlTypes.NpgsqlDbType.Integer);
        PaymentStatus? moved = null, before = null;
        var movesApplied = 0;
        // Npgsql recycles a reader with its connection: dispose it exactly once, before any other command.
        await using (var reader = await command.ExecuteReaderAsync(ActivityCancellation.Token))
        {
            if (await reader.ReadAsync(ActivityCancellation.Token))
            {
                moved = reader.GetNullableWire<PaymentStatus>("moved");
                before = reader.GetNullableWire<PaymentStatus>("before");
                movesApplied = reader.GetInt32(reader.GetOrdinal("workflow_moves"));
            }
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
        if (move.Number <= movesApplied)
        {
            logger.LogInformation("Payment {PaymentId}: move {Number} to {To} was applied already", move.PaymentId, move.Number, move.To);
            return;
        }
        if (before != move.To)
        {
            throw ParticipantErrors.Refusal(
                ParticipantErrors.IllegalTransition, $"Payment {move.PaymentId} is {WireName.Of(before.Value)}: it cannot move to {WireName.Of(move.To)}.");
        }
        // Already there: a retry of this activity, or a move the previous version's API made.
        await using var repeat = dataSource.CreateCommand(
            $"""
            UPDATE orders.payments SET {ProgressColumns}, last_error = @last_error,
                                       workflow_moves = greatest(workflow_moves, coalesce(@number, 0)), updated_at = now()
            WHERE payment_id = @id
            """);
        BindProgress(repeat.Parameters, ProgressOf(move))
            .WithNullable("last_error", move.LastError, NpgsqlTypes.NpgsqlDbType.Text).WithNullable("number", move.Number, NpgsqlTypes.NpgsqlDbType.Integer);
        await repeat.ExecuteNonQueryAsync(ActivityCancellation.Token);
    }

    /// <summary>
    /// The bank's result (from the <c>bankResult</c> signal or the bank's status query) through the same compare-and-set as
    /// the callback endpoint; the answer carries whichever result the order holds afterwards.
    /// </summary>
    [Activity]
    public Task<BankCallbackResult> RecordBankResultAsync(BankCallback result) => orders.RecordBankResultAsync(result, ActivityCancellation.Token);

    /// <summary>
    /// The bank's result recorded and the move it leads to made, in one statement when the order is still CREATED and holds
    /// no result or this one (the API's callback recorded it before it signalled): one round trip instead of the
    /// compare-and-set's three and the move's one. Anything else (a mismatch, another result, a move already made by a
    /// task run again) goes through <see cref="RecordBankResultAsync"/> and <see cref="MoveStatusAsync"/>, checks included.
    /// </summary>
    [Activity]
    public async Task<BankCallbackResult> TakeBankResultAsync(BankResultStep step)
    {
        var callback = step.Callback;
        var move = callback.Result == BankResult.Success ? step.Debited : step.Failed;
        await using var command = dataSource.CreateCommand(
            $"""
            UPDATE orders.payments
            SET bank_txn_id = @txn, bank_result = @result, paid_at = coalesce(paid_at, @paid_at, now()),
                status = @to, {ProgressColumns}, last_error = @last_error, workflow_moves = @number, updated_at = now()
            WHERE payment_id = @id AND status = 'CREATED' AND amount = @amount AND currency = @currency
              AND workflow_moves < @number AND (bank_txn_id IS NULL OR (bank_txn_id = @txn AND bank_result = @result))
            RETURNING bank_txn_id, bank_result, paid_at
            """);
        BindProgress(command.Parameters, ProgressOf(move)).With("to", WireName.Of(move.To)).With("txn", callback.BankTxnId)
            .With("result", WireName.Of(callback.Result)).With("amount", callback.Amount).With("currency", callback.Currency)
            .WithNullable("paid_at", callback.PaidAt is { } paidAt ? Timestamps.ToMicroseconds(paidAt) : (DateTimeOffset?)null, NpgsqlTypes.NpgsqlDbType.TimestampTz)
            .WithNullable("last_error", move.LastError, NpgsqlTypes.NpgsqlDbType.Text).With("number", move.Number ?? 0);
        await using (var reader = await command.ExecuteReaderAsync(ActivityCancellation.Token))
        {
            if (await reader.ReadAsync(ActivityCancellation.Token))
            {
                var recorded = new RecordedBankResult(
                    reader.GetString("bank_txn_id"), reader.GetWire<BankResult>("bank_result"), reader.GetNullableTimestamp("paid_at"));
                logger.LogInformation(
                    "Payment {PaymentId}: bank {Result} {BankTxnId} taken, moved CREATED → {To}", callback.PaymentId, callback.Result, callback.BankTxnId, move.To);
                return new BankCallbackResult(BankCallbackOutcome.Recorded, recorded, Status: move.To);
            }
        }
        var recording = await orders.RecordBankResultAsync(callback, ActivityCancellation.Token);
        if (recording.Recorded is { } held)
        {
            await MoveStatusAsync(held.Result == BankResult.Success ? step.Debited : step.Failed);
        }
        return recording;
    }

    /// <summary>CREATED → CLOSED at expiry, by the compare-and-set on "no bank result recorded yet"; a result recorded first wins.</summary>
    [Activity]
    public async Task<CloseOutcome> CloseUnpaidAsync(string paymentId)
    {
        await using var close = dataSource.CreateCommand(
            """
            UPDATE orders.payments SET status = 'CLOSED', step = 'DONE', last_error = NULL, updated_at = now()
            WHERE payment_id = @id AND status IN ('CREATED', 'CLOSED') AND bank_txn_id IS NULL
            """);
        close.Parameters.With("id", paymentId);
        if (await close.ExecuteNonQueryAsync(ActivityCancellation.Token) == 1)
        {
            logger.LogInformation("Payment {PaymentId} closed: expired, the bank has no debit", paymentId);
            return new CloseOutcome(true, null);
        }
        var payment = await LoadPaymentAsync(paymentId);
        logger.LogInformation("Payment {PaymentId}: not closed, the bank's {Result} {BankTxnId} was recorded first", paymentId, payment.BankResult, payment.BankTxnId);
        return new CloseOutcome(false, new RecordedBankResult(payment.BankTxnId!, payment.BankResult!.Value, payment.PaidAt));
    }

    /// <summary>Keeps an operator's decision on the order (once per decision number, so a retry writes it once).</summary>
    [Activity]
    public async Task RecordDecisionAsync(PaymentDecision decision)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO orders.resolutions (payment_id, number, action, reason, source, decided_at)
            VALUES (@id, @number, @action, @reason, @source, @at) ON CONFLICT DO NOTHING
            """);
        command.Parameters.With("id", decision.PaymentId).With("number", decision.Number).With("action", WireName.Of(decision.Action))
            .WithNullable("reason", decision.Reason, NpgsqlTypes.NpgsqlDbType.Text).With("source", WireName.Of(decision.Source))
            .With("at", Timestamps.ToMicroseconds(decision.At));
        await command.ExecuteNonQueryAsync(ActivityCancellation.Token);
        logger.LogInformation(
            "Payment {PaymentId}: decision {Number} {Action} from {Source} recorded ({Reason})", decision.PaymentId, decision.Number, decision.Action, decision.Source, decision.Reason);
    }

    /// <summary>Marks the bank exception of a late debit REFUNDED or REFUND_REFUSED.</summary>
    [Activity]
    public async Task EndLateDebitRefundAsync(LateDebitRefundEnd end)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE orders.bank_exceptions SET refund_status = @status WHERE payment_id = @id AND bank_txn_id = @txn AND refund_status IS NOT NULL");
        command.Parameters.With("id", end.PaymentId).With("txn", end.BankTxnId).With("status", WireName.Of(end.Status));
        await command.ExecuteNonQueryAsync(ActivityCancellation.Token);
        logger.LogInformation("Payment {PaymentId}: late debit {BankTxnId} {Status}", end.PaymentId, end.BankTxnId, end.Status);
    }

    /// <summary>Records the live step and branch states for the payment view; fields left null are unchanged.</summary>
    [Activity]
    public async Task RecordProgressAsync(PaymentProgress progress)
    {
        await using var command = dataSource.CreateCommand($"UPDATE orders.payments SET {ProgressColumns}, updated_at = now() WHERE payment_id = @id");
        BindProgress(command.Parameters, progress);
        if (await command.ExecuteNonQueryAsync(ActivityCancellation.Token) == 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.PaymentNotFound, $"Payment {progress.PaymentId} does not exist.");
        }
    }

    private static PaymentProgress ProgressOf(StatusMove move) => new(move.PaymentId, move.Step, move.FundAccount, move.PointsAccount, move.Accounting);

    private static NpgsqlParameterCollection BindProgress(NpgsqlParameterCollection parameters, PaymentProgress progress) => parameters
        .With("id", progress.PaymentId)
        .WithWire("step", progress.Step)
        .WithWire("fund", progress.FundAccount)
        .WithWire("points", progress.PointsAccount)
        .WithWire("accounting", progress.Accounting);
}
