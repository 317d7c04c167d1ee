using Npgsql;

namespace Payments.Activities.Tcc;

/// <summary>
/// DTM-style barrier: insert-only rows, <c>PRIMARY KEY (gid, branch_id, op)</c>, written in the branch's own transaction.
/// A cancel first claims the try's row, so a try that comes later finds it taken (anti-hanging) and a cancel that
/// claimed it knows the try never ran (null compensation). Concurrent callers wait on the key's index entry.
/// Confirm and cancel also lock the try's row, so at most one of them settles a tried branch; the other (a coordinator
/// bug, never a retry) is refused rather than allowed to take another payment's reservation.
/// </summary>
public sealed class TccBarrier
{
    private readonly string _insert;
    private readonly string _reasonOfTry;
    private readonly string _lockTry;
    private readonly string _hasOp;

    /// <param name="schema">The participant's schema holding its <c>barrier</c> table (a constant, never input).</param>
    public TccBarrier(string schema)
    {
        _insert = $"INSERT INTO {schema}.barrier (gid, branch_id, op, reason) VALUES (@gid, @branch, @op, @reason) ON CONFLICT DO NOTHING";
        _reasonOfTry = $"SELECT reason FROM {schema}.barrier WHERE gid = @gid AND branch_id = @branch AND op = 'try'";
        _lockTry = $"SELECT reason FROM {schema}.barrier WHERE gid = @gid AND branch_id = @branch AND op = 'try' FOR UPDATE";
        _hasOp = $"SELECT EXISTS (SELECT 1 FROM {schema}.barrier WHERE gid = @gid AND branch_id = @branch AND op = @op)";
    }

    /// <summary>Runs <paramref name="business"/> in one transaction with the barrier, unless the barrier says it must not run.</summary>
    public async Task<TccOutcome> RunAsync(
        NpgsqlDataSource dataSource,
        string gid,
        string branchId,
        TccOp op,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> business,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var outcome = await EnterAsync(connection, transaction, gid, branchId, op, cancellationToken);
        if (outcome == TccOutcome.Applied)
        {
            await business(connection, transaction, cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    private async Task<TccOutcome> EnterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string gid, string branchId, TccOp op, CancellationToken cancellationToken)
    {
        var name = OpName(op);
        switch (op)
        {
            case TccOp.Try:
                if (await InsertAsync(connection, transaction, gid, branchId, name, name, cancellationToken))
                {
                    return TccOutcome.Applied;
                }
                return await TryWasClaimedByCancelAsync(connection, transaction, gid, branchId, cancellationToken)
                    ? TccOutcome.Hanging
                    : TccOutcome.Duplicate;
            case TccOp.Confirm:
                if (!await InsertAsync(connection, transaction, gid, branchId, name, name, cancellationToken))
                {
                    return TccOutcome.Duplicate;
                }
                await EnsureSettlesTriedBranchAsync(connection, transaction, gid, branchId, op, "cancel", cancellationToken);
                return TccOutcome.Applied;
            default:
                var claimedTry = await InsertAsync(connection, transaction, gid, branchId, "try", name, cancellationToken);
                if (!await InsertAsync(connection, transaction, gid, branchId, name, name, cancellationToken))
                {
                    return TccOutcome.Duplicate;
                }
                if (claimedTry)
                {
                    return TccOutcome.NullCompensation;
                }
                await EnsureSettlesTriedBranchAsync(connection, transaction, gid, branchId, op, "confirm", cancellationToken);
                return TccOutcome.Applied;
        }
    }

    /// <summary>A confirm needs a try that ran; confirm and cancel exclude each other (serialised on the try's row lock).</summary>
    private async Task EnsureSettlesTriedBranchAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string gid, string branchId, TccOp op, string other, CancellationToken cancellationToken)
    {
        string? tryReason;
        await using (var lockTry = new NpgsqlCommand(_lockTry, connection, transaction))
        {
            lockTry.Parameters.AddWithValue("gid", gid);
            lockTry.Parameters.AddWithValue("branch", branchId);
            tryReason = (string?)await lockTry.ExecuteScalarAsync(cancellationToken);
        }
        // A statement of its own: its snapshot, taken after the lock was granted, sees what the lock holder committed.
        await using var hasOther = new NpgsqlCommand(_hasOp, connection, transaction);
        hasOther.Parameters.AddWithValue("gid", gid);
        hasOther.Parameters.AddWithValue("branch", branchId);
        hasOther.Parameters.AddWithValue("op", other);
        var settledOtherwise = (bool)(await hasOther.ExecuteScalarAsync(cancellationToken))!;
        if (tryReason != "try" || settledOtherwise)
        {
            var reason = tryReason != "try" ? "its try never ran" : other == "cancel" ? "it was already cancelled" : "it was already confirmed";
            throw ParticipantErrors.Refusal(ParticipantErrors.TccProtocolViolation, $"{op} of branch {branchId} {gid} refused: {reason}.");
        }
    }

    private async Task<bool> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string gid, string branchId, string op, string reason, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_insert, connection, transaction);
        command.Parameters.AddWithValue("gid", gid);
        command.Parameters.AddWithValue("branch", branchId);
        command.Parameters.AddWithValue("op", op);
        command.Parameters.AddWithValue("reason", reason);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<bool> TryWasClaimedByCancelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string gid, string branchId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_reasonOfTry, connection, transaction);
        command.Parameters.AddWithValue("gid", gid);
        command.Parameters.AddWithValue("branch", branchId);
        return await command.ExecuteScalarAsync(cancellationToken) is "cancel";
    }

    private static string OpName(TccOp op) => op switch
    {
        TccOp.Try => "try",
        TccOp.Confirm => "confirm",
        TccOp.Cancel => "cancel",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
