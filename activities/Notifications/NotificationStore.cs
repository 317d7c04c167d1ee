using Npgsql;
using NpgsqlTypes;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Notifications;

/// <summary>The notification log: the current state per payment and every attempt.</summary>
public sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Records an attempt (a retried activity overwrites its own attempt, same number); the notification becomes known as
    /// PENDING, or becomes DELIVERED when this attempt delivered (a delivered attempt always ends it so: one write, not two).
    /// </summary>
    public async Task RecordAttemptAsync(string paymentId, string notifyId, NotificationAttemptRecord attempt, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(attempt.Outcome == NotificationOutcome.Delivered ? Delivered(paymentId, notifyId) : EnsureNotification(paymentId, notifyId));
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO notify.attempts (payment_id, number, at, http_status, outcome, error)
            VALUES (@payment, @number, @at, @status, @outcome, @error)
            ON CONFLICT (payment_id, number) DO UPDATE
            SET at = excluded.at, http_status = excluded.http_status, outcome = excluded.outcome, error = excluded.error
            """);
        insert.Parameters.With("payment", paymentId).With("number", attempt.Number).With("at", attempt.At)
            .WithNullable("status", attempt.HttpStatus, NpgsqlDbType.Integer)
            .With("outcome", WireName.Of(attempt.Outcome))
            .WithNullable("error", attempt.Error, NpgsqlDbType.Text);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Logs a POST about to be sent: attempt <paramref name="number"/>'s <paramref name="try"/>-th execution. Written
    /// before the POST, so a send whose answer was never recorded is in the log all the same.
    /// </summary>
    public async Task RecordSendAsync(string paymentId, string notifyId, int number, int @try, CancellationToken cancellationToken = default)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(EnsureNotification(paymentId, notifyId));
        var insert = new NpgsqlBatchCommand(
            "INSERT INTO notify.sends (payment_id, number, try) VALUES (@payment, @number, @try) ON CONFLICT DO NOTHING");
        insert.Parameters.With("payment", paymentId).With("number", number).With("try", @try);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordStatusAsync(NotificationStatusUpdate update, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO notify.notifications (payment_id, notify_id, status, next_attempt_at) VALUES (@payment, @notify, @status, @next)
            ON CONFLICT (payment_id) DO UPDATE SET status = excluded.status, next_attempt_at = excluded.next_attempt_at, updated_at = now()
            """);
        command.Parameters.With("payment", update.PaymentId).With("notify", update.NotifyId).With("status", WireName.Of(update.Status))
            .WithNullable("next", update.Status == NotificationState.Pending ? update.NextAttemptAt : null, NpgsqlDbType.TimestampTz);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The notification of a payment; NONE with no attempts before the first one.</summary>
    public async Task<NotificationStatusView> GetAsync(string paymentId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT n.notify_id, n.status, n.next_attempt_at, a.number, a.at, a.http_status, a.outcome, a.error
            FROM notify.notifications n LEFT JOIN notify.attempts a ON a.payment_id = n.payment_id
            WHERE n.payment_id = @payment
            ORDER BY a.number
            """);
        command.Parameters.With("payment", paymentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return new NotificationStatusView(NotificationState.None, null, [], null);
        }
        var notifyId = reader.GetString("notify_id");
        var status = reader.GetWire<NotificationState>("status");
        var nextAttemptAt = reader.GetNullableTimestamp("next_attempt_at");
        var attempts = new List<NotificationAttemptRecord>();
        do
        {
            if (reader.GetNullableInt32("number") is { } number)
            {
                attempts.Add(new NotificationAttemptRecord(
                    number,
                    reader.GetTimestamp("at"),
                    reader.GetNullableInt32("http_status"),
                    reader.GetWire<NotificationOutcome>("outcome"),
                    reader.GetNullableString("error")));
            }
        }
        while (await reader.ReadAsync(cancellationToken));
        return new NotificationStatusView(status, notifyId, attempts, nextAttemptAt);
    }

    private static NpgsqlBatchCommand Delivered(string paymentId, string notifyId)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO notify.notifications (payment_id, notify_id, status) VALUES (@payment, @notify, 'DELIVERED')
            ON CONFLICT (payment_id) DO UPDATE SET status = 'DELIVERED', next_attempt_at = NULL, updated_at = now()
            """);
        command.Parameters.With("payment", paymentId).With("notify", notifyId);
        return command;
    }

    private static NpgsqlBatchCommand EnsureNotification(string paymentId, string notifyId)
    {
        var command = new NpgsqlBatchCommand(
            "INSERT INTO notify.notifications (payment_id, notify_id, status) VALUES (@payment, @notify, 'PENDING') ON CONFLICT (payment_id) DO NOTHING");
        command.Parameters.With("payment", paymentId).With("notify", notifyId);
        return command;
    }
}
