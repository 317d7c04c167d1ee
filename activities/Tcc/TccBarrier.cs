using Npgsql;

namespace Payments.Activities.Tcc;

/// <summary>
/// What must hold for a branch call to act, read in the barrier's statement: <paramref name="Query"/> selects one text
/// column <c>value</c> (e.g. the owner's status, locked FOR SHARE); the call acts only when it equals
/// <paramref name="Required"/>, and <paramref name="Refuse"/> turns any other value (null: no row) into a refusal.
/// </summary>
public sealed record TccPrecondition(string Query, string Required, Func<string?, Exception> Refuse);

/// <summary>
/// The business statement of a branch call, which must act only <c>WHERE <see cref="TccBarrier.GateCondition"/></c>,
/// its parameters, and the refusal to throw when it was due to change a row and changed none.
/// </summary>
public sealed record TccBusiness(string Change, Action<NpgsqlParameterCollection> Bind, Func<Exception> Missing, TccPrecondition? Precondition = null);

/// <summary>
/// DTM-style barrier: insert-only rows, <c>PRIMARY KEY (gid, branch_id, op)</c>, written in the branch's own transaction
/// and sent in one round trip with the business statement. A cancel first claims the try's row: a try that comes later
/// finds it taken (anti-hanging) and a cancel that claimed it knows the try never ran (null compensation). Confirm and
/// cancel of a branch share a unique index (<c>barrier_settles_once</c>): at most one settles it; the other is refused
/// rather than allowed to take another payment's reservation. Concurrent calls on a branch wait on its index entries.
/// </summary>
/// <remarks>
/// The decision reaches the business statement through a transaction-local setting, not a CTE of the same statement:
/// a statement that waited on another transaction's barrier row would otherwise change the account from its own,
/// older snapshot; the business statement, sent next, takes a fresh one.
/// </remarks>
public sealed class TccBarrier(string schema, string branchId)
{
    public const string GateCondition = "current_setting('payments.tcc_gate') = '1'";

    private readonly string _barrier = $"{schema}.barrier";

    /// <summary>Runs the barrier and <paramref name="business"/> in one transaction: one round trip, then the commit.</summary>
    public async Task<TccOutcome> RunAsync(NpgsqlDataSource dataSource, string gid, TccOp op, TccBusiness business, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var barrier = new NpgsqlBatchCommand(BarrierStatement(op, business.Precondition));
        barrier.Parameters.AddWithValue("gid", gid);
        barrier.Parameters.AddWithValue("branch", branchId);
        business.Bind(barrier.Parameters);
        if (business.Precondition is { } required)
        {
            barrier.Parameters.AddWithValue("required", required.Required);
        }
        var change = new NpgsqlBatchCommand(business.Change);
        business.Bind(change.Parameters);
        bool entered, gated;
        string? preconditionValue;
        await using (var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { barrier, change } })
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            entered = reader.GetInt64(0) == 1;
            gated = reader.GetInt64(1) == 1;
            preconditionValue = reader.IsDBNull(2) ? null : reader.GetString(2);
        }
        if (gated && business.Precondition is { } precondition && preconditionValue != precondition.Required)
        {
            throw precondition.Refuse(preconditionValue);
        }
        if (gated && change.RecordsAffected == 0)
        {
            throw business.Missing();
        }
        var outcome = entered
            ? Entered(op, gated, gid)
            : await ExplainSkipAsync(connection, transaction, gid, op, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Inserts the barrier rows and sets the gate: <c>entered</c> = this op's row was inserted now, <c>gate</c> = one row
    /// when the business change is due (the precondition aside).
    /// </summary>
    private string BarrierStatement(TccOp op, TccPrecondition? precondition)
    {
        string Insert(string name, string rowOp, string reason) =>
            $"{name} AS (INSERT INTO {_barrier} (gid, branch_id, op, reason) VALUES (@gid, @branch, '{rowOp}', '{reason}') ON CONFLICT DO NOTHING RETURNING 1)";
        var gates = op switch
        {
            TccOp.Try => $"{Insert("entered", "try", "try")}, gate AS (SELECT 1 FROM entered)",
            TccOp.Confirm =>
                $"""
                {Insert("entered", "confirm", "confirm")},
                gate AS (SELECT 1 FROM entered WHERE EXISTS (
                    SELECT 1 FROM {_barrier} WHERE gid = @gid AND branch_id = @branch AND op = 'try' AND reason = 'try'))
                """,
            // The claim first (entered reads it), so two cancels of a branch insert in the same order.
            TccOp.Cancel =>
                $"""
                {Insert("claimed", "try", "cancel")},
                entered AS (
                    INSERT INTO {_barrier} (gid, branch_id, op, reason)
                    SELECT @gid, @branch, 'cancel', 'cancel' FROM (SELECT count(*) FROM claimed) AS claim_first
                    ON CONFLICT DO NOTHING RETURNING 1),
                gate AS (SELECT 1 FROM entered WHERE NOT EXISTS (SELECT 1 FROM claimed))
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
        };
        var (preconditionCte, value, holds) = precondition is null
            ? ("", "NULL::text", "TRUE")
            : ($", precondition AS ({precondition.Query})", "(SELECT value FROM precondition)", "(SELECT value FROM precondition) IS NOT DISTINCT FROM @required");
        return
            $"""
            WITH {gates}{preconditionCte}
            SELECT (SELECT count(*) FROM entered), (SELECT count(*) FROM gate), {value},
                   set_config('payments.tcc_gate', CASE WHEN EXISTS (SELECT 1 FROM gate) AND {holds} THEN '1' ELSE '0' END, TRUE)
            """;
    }

    private TccOutcome Entered(TccOp op, bool gated, string gid)
    {
        if (gated)
        {
            return TccOutcome.Applied;
        }
        return op == TccOp.Cancel ? TccOutcome.NullCompensation : throw Violation(op, gid, "its try never ran");
    }

    /// <summary>This op's row was there already (or its opposite settled the branch): a fresh statement sees why.</summary>
    private async Task<TccOutcome> ExplainSkipAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string gid, TccOp op, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT op, reason FROM {_barrier} WHERE gid = @gid AND branch_id = @branch", connection, transaction);
        command.Parameters.AddWithValue("gid", gid);
        command.Parameters.AddWithValue("branch", branchId);
        var rows = new Dictionary<string, string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows[reader.GetString(0)] = reader.GetString(1);
            }
        }
        return op switch
        {
            TccOp.Try => rows.GetValueOrDefault("try") == "cancel" ? TccOutcome.Hanging : TccOutcome.Duplicate,
            TccOp.Confirm when rows.ContainsKey("cancel") => throw Violation(op, gid, "it was already cancelled"),
            TccOp.Cancel when rows.ContainsKey("confirm") => throw Violation(op, gid, "it was already confirmed"),
            _ => TccOutcome.Duplicate,
        };
    }

    private Temporalio.Exceptions.ApplicationFailureException Violation(TccOp op, string gid, string reason) =>
        ParticipantErrors.Refusal(ParticipantErrors.TccProtocolViolation, $"{op} of branch {branchId} {gid} refused: {reason}.");
}
