using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Domain;

namespace Payments.Activities.Tcc;

/// <summary>Where a TCC account lives: its schema, key, reserved and settled columns, and the owner whose freeze refuses a try.</summary>
public sealed record TccAccountTable(
    string Schema,
    string BranchId,
    string KeyColumn,
    string PendingColumn,
    string BalanceColumn,
    string OwnerTable,
    string OwnerKeyColumn,
    string FrozenErrorType);

/// <summary>
/// A TCC account behind a barrier: try reserves (refused when the owner is frozen), confirm settles, cancel releases.
/// Confirm and cancel never look at the owner: once tried, a branch must be able to finish.
/// </summary>
public sealed class TccAccount
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TccAccountTable _table;
    private readonly TccBarrier _barrier;
    private readonly ILogger _logger;
    private readonly string _ownerStatus;
    private readonly string _reserve;
    private readonly string _settle;
    private readonly string _release;

    public TccAccount(NpgsqlDataSource dataSource, TccAccountTable table, ILogger logger)
    {
        _dataSource = dataSource;
        _table = table;
        _logger = logger;
        _barrier = new TccBarrier(table.Schema);
        var accounts = $"{table.Schema}.accounts";
        // FOR SHARE: a freeze committed before the try is seen, one arriving during it waits for the try to finish.
        _ownerStatus = $"SELECT status FROM {table.OwnerTable} WHERE {table.OwnerKeyColumn} = @key FOR SHARE";
        _reserve = $"UPDATE {accounts} SET {table.PendingColumn} = {table.PendingColumn} + @amount, updated_at = now() WHERE {table.KeyColumn} = @key";
        _settle = $"UPDATE {accounts} SET {table.PendingColumn} = {table.PendingColumn} - @amount, {table.BalanceColumn} = {table.BalanceColumn} + @amount, updated_at = now() WHERE {table.KeyColumn} = @key";
        _release = $"UPDATE {accounts} SET {table.PendingColumn} = {table.PendingColumn} - @amount, updated_at = now() WHERE {table.KeyColumn} = @key";
    }

    public Task<TccOutcome> TryAsync(TccRequest request) => RunAsync(request, TccOp.Try, ReserveAsync);

    public Task<TccOutcome> ConfirmAsync(TccRequest request) => RunAsync(request, TccOp.Confirm, (c, t, r, ct) => ChangeAsync(c, t, _settle, r, ct));

    public Task<TccOutcome> CancelAsync(TccRequest request) => RunAsync(request, TccOp.Cancel, (c, t, r, ct) => ChangeAsync(c, t, _release, r, ct));

    private async Task<TccOutcome> RunAsync(
        TccRequest request,
        TccOp op,
        Func<NpgsqlConnection, NpgsqlTransaction, TccRequest, CancellationToken, Task> business)
    {
        if (request.Amount < 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.InvalidRequest, $"A TCC amount cannot be negative ({request.Amount}).");
        }
        if (request.Amount == 0)
        {
            return TccOutcome.ZeroAmount;
        }
        var gid = Identifiers.BarrierId(request.PaymentId, request.Round);
        var outcome = await _barrier.RunAsync(
            _dataSource, gid, _table.BranchId, op, (c, t, ct) => business(c, t, request, ct), ActivityCancellation.Token);
        _logger.LogInformation(
            "{Branch} {Op} for payment {PaymentId} round {Round} on {AccountId}: {Amount} {Outcome}",
            _table.BranchId, op, request.PaymentId, request.Round, request.AccountId, request.Amount, outcome);
        return outcome;
    }

    private async Task ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, TccRequest request, CancellationToken cancellationToken)
    {
        await using (var owner = new NpgsqlCommand(_ownerStatus, connection, transaction))
        {
            owner.Parameters.AddWithValue("key", request.AccountId);
            switch (await owner.ExecuteScalarAsync(cancellationToken))
            {
                case null:
                    throw ParticipantErrors.Refusal(ParticipantErrors.AccountNotFound, $"No {_table.BranchId} account for '{request.AccountId}'.");
                case "FROZEN":
                    throw ParticipantErrors.Refusal(_table.FrozenErrorType, $"'{request.AccountId}' is frozen: {_table.BranchId} try refused.");
            }
        }
        await ChangeAsync(connection, transaction, _reserve, request, cancellationToken);
    }

    private async Task ChangeAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, TccRequest request, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("key", request.AccountId);
        command.Parameters.AddWithValue("amount", request.Amount);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.AccountNotFound, $"No {_table.BranchId} account for '{request.AccountId}'.");
        }
    }
}
