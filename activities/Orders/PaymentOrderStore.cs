using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Orders;

/// <summary>
/// The payment order's own writes outside the saga: creation, the bank's result (the compare-and-set every race goes
/// through: callback, bank query, close), bank exceptions, and the start-up backfill of orders older than revision 2.
/// </summary>
public sealed class PaymentOrderStore(
    NpgsqlDataSource dataSource, IOptions<OrderOptions> options, ILogger<PaymentOrderStore> logger)
{
    /// <summary>
    /// Idempotent on (merchantId, merchantOrderNo): the same fields again answer the existing order, other fields conflict.
    /// The order is answered as its row reads back after the insert (<see cref="OrderRow"/>).
    /// </summary>
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
            INSERT INTO orders.payments AS p (payment_id, merchant_id, merchant_order_no, user_id, amount, currency, fee_bps, fee,
                                              net_amount, points, notify_url, subject, step, expires_at)
            VALUES (@id, @merchant, @order_no, @user, @amount, @currency, @fee_bps, @fee, @net, @points, @notify_url, @subject,
                    'WAITING_FOR_BANK', now() + @expire_after)
            ON CONFLICT (merchant_id, merchant_order_no) DO NOTHING
            RETURNING {OrderRow.Columns}
            """,
            connection);
        insert.Parameters.With("id", Identifiers.NewPaymentId()).With("merchant", order.MerchantId).With("order_no", order.MerchantOrderNo)
            .With("user", order.UserId).With("amount", order.Amount).With("currency", order.Currency).With("fee_bps", feeBps)
            .With("fee", amounts.Fee).With("net", amounts.NetAmount).With("points", amounts.Points).With("notify_url", order.NotifyUrl)
            .WithNullable("subject", order.Subject, NpgsqlDbType.Text).With("expire_after", options.Value.ExpireAfter);
        if (await ReadOrderAsync(insert, cancellationToken) is not { } created)
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
    /// Records the bank's facts on the order by compare-and-set on "no bank result recorded yet" (the status stays: the
    /// workflow moves it). The first recorded result wins every race; a callback without <c>paidAt</c> records the time the
    /// platform learned of it. A mismatch, a SUCCESS after FAILED and a SUCCESS for a CLOSED order are kept as bank exceptions.
    /// </summary>
    public async Task<BankCallbackResult> RecordBankResultAsync(BankCallback callback, CancellationToken cancellationToken = default)
    {
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
            var id = await KeepBankExceptionAsync(connection, callback, reason, null, cancellationToken);
            return new BankCallbackResult(BankCallbackOutcome.Mismatch, BankExceptionId: id);
        }

        await using var record = new NpgsqlCommand(
            """
            UPDATE orders.payments
            SET bank_txn_id = @txn, bank_result = @result, paid_at = coalesce(@paid_at, now()), updated_at = now()
            WHERE payment_id = @id AND status = 'CREATED' AND bank_txn_id IS NULL
            RETURNING bank_txn_id, bank_result, paid_at
            """,
            connection);
        record.Parameters.With("id", callback.PaymentId).With("txn", callback.BankTxnId).With("result", WireName.Of(callback.Result))
            .WithNullable("paid_at", callback.PaidAt is { } paidAt ? Timestamps.ToMicroseconds(paidAt) : (DateTimeOffset?)null, NpgsqlDbType.TimestampTz);
        if (await ReadRecordedAsync(record, cancellationToken) is { } recorded)
        {
            logger.LogInformation("Payment {PaymentId}: bank {Result} {BankTxnId} recorded", callback.PaymentId, callback.Result, callback.BankTxnId);
            return new BankCallbackResult(BankCallbackOutcome.Recorded, recorded, Status: PaymentStatus.Created);
        }
        return await CompareWithRecordedAsync(connection, callback, cancellationToken);
    }

    public async Task<IReadOnlyList<BankExceptionRecord>> ListBankExceptionsAsync(int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, received_at, payment_id, bank_txn_id, amount, currency, reason, refund_status
            FROM orders.bank_exceptions ORDER BY id DESC LIMIT @limit
            """);
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
                reader.GetString("reason"),
                reader.GetNullableWire<LateDebitRefundStatus>("refund_status")));
        }
        return exceptions;
    }

    /// <summary>Orders created before revision 2 (no expiry, so no workflow either), oldest first.</summary>
    public async Task<IReadOnlyList<UnexpiringOrder>> ListUnexpiringAsync(int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT payment_id, merchant_id, status FROM orders.payments WHERE expires_at IS NULL ORDER BY seq LIMIT @limit");
        command.Parameters.With("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var orders = new List<UnexpiringOrder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            orders.Add(new UnexpiringOrder(reader.GetString("payment_id"), reader.GetString("merchant_id"), reader.GetWire<PaymentStatus>("status")));
        }
        return orders;
    }

    /// <summary>Gives an order from before revision 2 its expiry (creation + <c>Payments:Orders:ExpireAfter</c>), once its workflow exists.</summary>
    public async Task SetExpiryAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE orders.payments SET expires_at = created_at + @expire_after WHERE payment_id = @id AND expires_at IS NULL");
        command.Parameters.With("id", paymentId).With("expire_after", options.Value.ExpireAfter);
        await command.ExecuteNonQueryAsync(cancellationToken);
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

    private async Task<PaymentFacts?> FindAsync(string merchantId, string merchantOrderNo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {OrderRow.Columns} FROM orders.payments p WHERE p.merchant_id = @merchant AND p.merchant_order_no = @order_no");
        command.Parameters.With("merchant", merchantId).With("order_no", merchantOrderNo);
        return await ReadOrderAsync(command, cancellationToken);
    }

    private static async Task<PaymentFacts?> ReadOrderAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? OrderRow.Read(reader) : null;
    }

    private static CreatePaymentResult Compare(PaymentFacts existing, NewPaymentOrder order) =>
        existing.UserId == order.UserId && existing.Amount == order.Amount && existing.Currency == order.Currency
        && existing.NotifyUrl == order.NotifyUrl && existing.Subject == order.Subject
            ? new CreatePaymentResult(CreatePaymentOutcome.Existing, existing)
            : new CreatePaymentResult(CreatePaymentOutcome.Conflict, existing);

    /// <summary>
    /// Keeps a callback the order cannot take, once: the same callback again finds its exception. A late debit's exception
    /// (<paramref name="refundStatus"/> PENDING) is one per bank transaction.
    /// </summary>
    private async Task<long> KeepBankExceptionAsync(
        NpgsqlConnection connection, BankCallback callback, string reason, LateDebitRefundStatus? refundStatus, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            """
            WITH known AS (
                SELECT id FROM orders.bank_exceptions
                WHERE payment_id = @id AND bank_txn_id = @txn AND amount = @amount AND currency = @currency AND result = @result),
            kept AS (
                INSERT INTO orders.bank_exceptions (payment_id, bank_txn_id, amount, currency, result, paid_at, reason, refund_status)
                SELECT @id, @txn, @amount, @currency, @result, coalesce(@paid_at, now()), @reason, @refund_status
                WHERE NOT EXISTS (SELECT 1 FROM known)
                ON CONFLICT DO NOTHING
                RETURNING id)
            SELECT id FROM kept UNION ALL SELECT id FROM known
            """,
            connection);
        insert.Parameters.With("id", callback.PaymentId).With("txn", callback.BankTxnId).With("amount", callback.Amount)
            .With("currency", callback.Currency).With("result", WireName.Of(callback.Result))
            .WithNullable("paid_at", callback.PaidAt, NpgsqlDbType.TimestampTz).With("reason", reason).WithWire("refund_status", refundStatus);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        logger.LogWarning("Payment {PaymentId}: bank callback {BankTxnId} kept as bank exception {ExceptionId}: {Reason}", callback.PaymentId, callback.BankTxnId, id, reason);
        return id;
    }

    /// <summary>The compare-and-set found a result (or a close) already recorded: the row decides what this callback is.</summary>
    private async Task<BankCallbackResult> CompareWithRecordedAsync(NpgsqlConnection connection, BankCallback callback, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand("SELECT status, bank_txn_id, bank_result, paid_at FROM orders.payments WHERE payment_id = @id", connection);
        select.Parameters.With("id", callback.PaymentId);
        PaymentStatus status;
        RecordedBankResult? recorded;
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            status = reader.GetWire<PaymentStatus>("status");
            recorded = reader.GetNullableString("bank_txn_id") is { } txn
                ? new RecordedBankResult(txn, reader.GetWire<BankResult>("bank_result"), reader.GetNullableTimestamp("paid_at"))
                : null;
        }
        if (recorded is null && status == PaymentStatus.Closed)
        {
            if (callback.Result == BankResult.Failed)
            {
                return new BankCallbackResult(BankCallbackOutcome.ClosedUnpaid, Status: status);
            }
            var id = await KeepBankExceptionAsync(
                connection, callback, "The order was closed unpaid before this debit arrived; the money goes back to the shopper.", LateDebitRefundStatus.Pending, cancellationToken);
            return new BankCallbackResult(BankCallbackOutcome.LateDebit, null, id, status);
        }
        if (recorded is not null && recorded.BankTxnId == callback.BankTxnId && recorded.Result == callback.Result)
        {
            return new BankCallbackResult(BankCallbackOutcome.Duplicate, recorded, Status: status);
        }
        if (recorded is { Result: BankResult.Failed } && callback.Result == BankResult.Success)
        {
            var id = await KeepBankExceptionAsync(connection, callback, $"The bank reported {recorded.BankTxnId} FAILED before this SUCCESS.", null, cancellationToken);
            return new BankCallbackResult(BankCallbackOutcome.Conflict, recorded, id, status);
        }
        return new BankCallbackResult(BankCallbackOutcome.Conflict, recorded, Status: status);
    }

    private static async Task<RecordedBankResult?> ReadRecordedAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new RecordedBankResult(reader.GetString("bank_txn_id"), reader.GetWire<BankResult>("bank_result"), reader.GetNullableTimestamp("paid_at"))
            : null;
    }
}
