using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Orders;

/// <summary>The payment order operations the HTTP API calls: creation, bank callbacks, manual resolution.</summary>
public sealed class PaymentOrderStore(NpgsqlDataSource dataSource, ILogger<PaymentOrderStore> logger)
{
    private const string OrderColumns =
        "payment_id, merchant_id, merchant_order_no, user_id, amount, currency, notify_url, subject, status, created_at";

    /// <summary>Idempotent on (merchantId, merchantOrderNo): the same fields again answer the existing order, other fields conflict.</summary>
    public async Task<CreatePaymentResult> CreateAsync(NewPaymentOrder order, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(order.MerchantId, order.MerchantOrderNo, cancellationToken) is { } existing)
        {
            return Compare(existing, order);
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (feeBps, refusal) = await CheckPartiesAsync(connection, order, cancellationToken);
        if (refusal is not null)
        {
            return new CreatePaymentResult(CreatePaymentOutcome.Refused, null, refusal);
        }
        var amounts = PaymentAmounts.Of(order.Amount, feeBps);
        await using var insert = new NpgsqlCommand(
            $"""
            INSERT INTO orders.payments (payment_id, merchant_id, merchant_order_no, user_id, amount, currency, fee_bps, fee,
                                         net_amount, points, notify_url, subject)
            VALUES (@id, @merchant, @order_no, @user, @amount, @currency, @fee_bps, @fee, @net, @points, @notify_url, @subject)
            ON CONFLICT (merchant_id, merchant_order_no) DO NOTHING
            RETURNING {OrderColumns}
            """,
            connection);
        insert.Parameters.With("id", Identifiers.NewPaymentId()).With("merchant", order.MerchantId).With("order_no", order.MerchantOrderNo)
            .With("user", order.UserId).With("amount", order.Amount).With("currency", order.Currency).With("fee_bps", feeBps)
            .With("fee", amounts.Fee).With("net", amounts.NetAmount).With("points", amounts.Points).With("notify_url", order.NotifyUrl)
            .WithNullable("subject", order.Subject, NpgsqlDbType.Text);
        var created = await ReadOrderAsync(insert, cancellationToken);
        if (created is null)
        {
            // Lost a race with the same merchantOrderNo: the winner's order decides, as for any repeat.
            return Compare((await FindAsync(order.MerchantId, order.MerchantOrderNo, cancellationToken))!, order);
        }
        logger.LogInformation(
            "Created payment {PaymentId} for merchant {MerchantId} order {MerchantOrderNo}: {Amount} {Currency}",
            created.PaymentId, created.MerchantId, created.MerchantOrderNo, created.Amount, created.Currency);
        return new CreatePaymentResult(CreatePaymentOutcome.Created, created);
    }

    /// <summary>
    /// Records the bank's callback on its order by compare-and-set (CREATED → PROCESSING, or FAILED when the bank says so).
    /// A callback whose amount or currency differ from the order is kept as a bank exception and changes nothing.
    /// </summary>
    public async Task<BankCallbackResult> RecordBankCallbackAsync(BankCallback callback, CancellationToken cancellationToken = default)
    {
        var paidAt = callback.PaidAt is { } value ? Timestamps.ToMicroseconds(value) : (DateTimeOffset?)null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var select = new NpgsqlCommand("SELECT amount, currency FROM orders.payments WHERE payment_id = @id", connection);
        select.Parameters.With("id", callback.PaymentId);
        (long Amount, string Currency)? order = null;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                order = (reader.GetInt64("amount"), reader.GetString("currency"));
            }
        }
        if (order is not { } known)
        {
            return new BankCallbackResult(BankCallbackOutcome.NotFound);
        }
        if (known.Amount != callback.Amount || known.Currency != callback.Currency)
        {
            var reason = $"The order is {known.Amount} {known.Currency}; the bank reported {callback.Amount} {callback.Currency}.";
            return await KeepBankExceptionAsync(connection, callback, paidAt, reason, cancellationToken);
        }

        var target = callback.Result == BankResult.Success ? PaymentStatus.Processing : PaymentStatus.Failed;
        await using var record = new NpgsqlCommand(
            """
            UPDATE orders.payments
            SET bank_txn_id = @txn, bank_result = @result, paid_at = @paid_at, status = @target, step = @step, updated_at = now()
            WHERE payment_id = @id AND status = 'CREATED' AND bank_txn_id IS NULL
            """,
            connection);
        record.Parameters.With("id", callback.PaymentId).With("txn", callback.BankTxnId).With("result", WireName.Of(callback.Result))
            .WithNullable("paid_at", paidAt, NpgsqlDbType.TimestampTz).With("target", WireName.Of(target))
            .With("step", WireName.Of(target == PaymentStatus.Processing ? PaymentStep.Received : PaymentStep.Done));
        if (await record.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            logger.LogInformation("Payment {PaymentId}: bank {Result} {BankTxnId} recorded, now {Status}", callback.PaymentId, callback.Result, callback.BankTxnId, target);
            return new BankCallbackResult(BankCallbackOutcome.Recorded, target);
        }
        return await CompareWithRecordedAsync(connection, callback, paidAt, cancellationToken);
    }

    public async Task<IReadOnlyList<BankExceptionRecord>> ListBankExceptionsAsync(int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, received_at, payment_id, bank_txn_id, amount, currency, reason FROM orders.bank_exceptions ORDER BY id DESC LIMIT @limit");
        command.Parameters.With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var exceptions = new List<BankExceptionRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            exceptions.Add(new BankExceptionRecord(
                reader.GetInt64("id"),
                reader.GetTimestamp("received_at"),
                reader.GetString("payment_id"),
                reader.GetString("bank_txn_id"),
                reader.GetInt64("amount"),
                reader.GetString("currency"),
                reader.GetString("reason")));
        }
        return exceptions;
    }

    /// <summary>An operator's decision: SUSPENDED → PROCESSING (RETRY) or → REFUNDED (REFUND), by compare-and-set, so only one wins.</summary>
    public async Task<ResolutionOutcome> ResolveAsync(string paymentId, ResolutionAction action, CancellationToken cancellationToken = default)
    {
        var (target, step) = action == ResolutionAction.Retry
            ? (PaymentStatus.Processing, PaymentStep.Trying)
            : (PaymentStatus.Refunded, PaymentStep.Refunding);
        await using var command = dataSource.CreateCommand(
            """
            WITH moved AS (
                UPDATE orders.payments SET status = @target, step = @step, updated_at = now()
                WHERE payment_id = @id AND status = 'SUSPENDED'
                RETURNING payment_id)
            SELECT EXISTS (SELECT 1 FROM moved), EXISTS (SELECT 1 FROM orders.payments WHERE payment_id = @id)
            """);
        command.Parameters.With("id", paymentId).With("target", WireName.Of(target)).With("step", WireName.Of(step));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetBoolean(0))
        {
            logger.LogInformation("Payment {PaymentId} resolved by an operator: {Action}, now {Status}", paymentId, action, target);
            return ResolutionOutcome.Moved;
        }
        return reader.GetBoolean(1) ? ResolutionOutcome.NotSuspended : ResolutionOutcome.NotFound;
    }

    private static async Task<(int FeeBps, string? Refusal)> CheckPartiesAsync(NpgsqlConnection connection, NewPaymentOrder order, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT m.currency, m.fee_bps, m.status, EXISTS (SELECT 1 FROM merchants.users u WHERE u.user_id = @user) AS user_exists
            FROM merchants.merchants m WHERE m.merchant_id = @merchant
            """,
            connection);
        command.Parameters.With("merchant", order.MerchantId).With("user", order.UserId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (0, $"Merchant {order.MerchantId} does not exist.");
        }
        var feeBps = reader.GetInt32("fee_bps");
        if (reader.GetWire<PartyStatus>("status") == PartyStatus.Frozen)
        {
            return (feeBps, $"Merchant {order.MerchantId} is frozen.");
        }
        if (reader.GetString("currency") != order.Currency)
        {
            return (feeBps, $"Merchant {order.MerchantId} accepts {reader.GetString("currency")} only, not {order.Currency}.");
        }
        return reader.GetBoolean(reader.GetOrdinal("user_exists")) ? (feeBps, null) : (feeBps, $"User {order.UserId} does not exist.");
    }

    private async Task<PaymentOrder?> FindAsync(string merchantId, string merchantOrderNo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {OrderColumns} FROM orders.payments WHERE merchant_id = @merchant AND merchant_order_no = @order_no");
        command.Parameters.With("merchant", merchantId).With("order_no", merchantOrderNo);
        return await ReadOrderAsync(command, cancellationToken);
    }

    private static CreatePaymentResult Compare(PaymentOrder existing, NewPaymentOrder order) =>
        existing.UserId == order.UserId && existing.Amount == order.Amount && existing.Currency == order.Currency
        && existing.NotifyUrl == order.NotifyUrl && existing.Subject == order.Subject
            ? new CreatePaymentResult(CreatePaymentOutcome.Existing, existing)
            : new CreatePaymentResult(CreatePaymentOutcome.Conflict, existing);

    private async Task<BankCallbackResult> KeepBankExceptionAsync(
        NpgsqlConnection connection, BankCallback callback, DateTimeOffset? paidAt, string reason, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO orders.bank_exceptions (payment_id, bank_txn_id, amount, currency, result, paid_at, reason)
            VALUES (@id, @txn, @amount, @currency, @result, @paid_at, @reason) RETURNING id
            """,
            connection);
        insert.Parameters.With("id", callback.PaymentId).With("txn", callback.BankTxnId).With("amount", callback.Amount)
            .With("currency", callback.Currency).With("result", WireName.Of(callback.Result))
            .WithNullable("paid_at", paidAt, NpgsqlDbType.TimestampTz).With("reason", reason);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        logger.LogWarning("Payment {PaymentId}: bank callback {BankTxnId} kept as bank exception {ExceptionId}: {Reason}", callback.PaymentId, callback.BankTxnId, id, reason);
        return new BankCallbackResult(BankCallbackOutcome.Mismatch, null, id);
    }

    private static async Task<BankCallbackResult> CompareWithRecordedAsync(
        NpgsqlConnection connection, BankCallback callback, DateTimeOffset? paidAt, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand("SELECT status, bank_txn_id, bank_result, paid_at FROM orders.payments WHERE payment_id = @id", connection);
        select.Parameters.With("id", callback.PaymentId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var status = reader.GetWire<PaymentStatus>("status");
        var same = reader.GetNullableString("bank_txn_id") == callback.BankTxnId
            && reader.GetNullableWire<BankResult>("bank_result") == callback.Result
            && reader.GetNullableTimestamp("paid_at") == paidAt;
        return new BankCallbackResult(same ? BankCallbackOutcome.Duplicate : BankCallbackOutcome.Conflict, status);
    }

    private static async Task<PaymentOrder?> ReadOrderAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new PaymentOrder(
            reader.GetString("payment_id"),
            reader.GetString("merchant_id"),
            reader.GetString("merchant_order_no"),
            reader.GetString("user_id"),
            reader.GetInt64("amount"),
            reader.GetString("currency"),
            reader.GetString("notify_url"),
            reader.GetNullableString("subject"),
            reader.GetWire<PaymentStatus>("status"),
            reader.GetTimestamp("created_at"));
    }
}
