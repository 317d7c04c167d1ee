using Npgsql;

namespace Payments.Activities.Tcc;

/// <summary>
/// DTM-style barrier: insert-only rows, <c>PRIMARY KEY (gid, branch_id, op)</c>, written in the branch's own transaction.
/// A cancel first claims the try's row, so a try that comes later finds it taken (anti-hanging) and a cancel that
/// claimed it knows the try never ran (null compensation). Concurrent callers wait on the key's index entry.
/// </summary>
public sealed class TccBarrier
{
    private readonly string _insert;
    private readonly string _reasonOfTry;

    /// <param name="schema">The participant's schema holding its <c>barrier</c> table (a constant, never input).</param>
    public TccBarrier(string schema)
    {
        _insert = $"INSERT INTO {schema}.barrier (gid, branch_id, op, reason) VALUES (@gid, @branch, @op, @reason) ON CONFLICT DO NOTHING";
        _reasonOfTry = $"SELECT reason FROM {schema}.barrier WHERE gid = @gid AND branch_id = @branch AND op = 'try'";
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
        var reason = OpName(op);
        if (op == TccOp.Cancel)
        {
            var claimedTry = await InsertAsync(connection, transaction, gid, branchId, "try", reason, cancellationToken);
            if (!await InsertAsync(connection, transaction, gid, branchId, reason, reason, cancellationToken))
            {
                return TccOutcome.Duplicate;
            }
            return claimedTry ? TccOutcome.NullCompensation : TccOutcome.Applied;
        }
        if (await InsertAsync(connection, transaction, gid, branchId, reason, reason, cancellationToken))
        {
            return TccOutcome.Applied;
        }
        return op == TccOp.Try && await TryWasClaimedByCancelAsync(connection, transaction, gid, branchId, cancellationToken)
            ? TccOutcome.Hanging
            : TccOutcome.Duplicate;
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
