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
    private readonly string _reserve;
    private readonly string _settle;
    private readonly string _release;
    private readonly string _ownerStatus;

    public TccAccount(NpgsqlDataSource dataSource, TccAccountTable table, ILogger logger)
    {
        _dataSource = dataSource;
        _table = table;
        _logger = logger;
        _barrier = new TccBarrier(table.Schema, table.BranchId);
        var accounts = $"{table.Schema}.accounts";
        var pending = table.PendingColumn;
        var due = $"WHERE {table.KeyColumn} = @key AND {TccBarrier.GateCondition}";
        // FOR SHARE: a freeze committed before the try is seen, one arriving during it waits for the try to finish.
        _ownerStatus = $"SELECT status AS value FROM {table.OwnerTable} WHERE {table.OwnerKeyColumn} = @key FOR SHARE";
        _reserve = $"UPDATE {accounts} SET {pending} = {pending} + @amount, updated_at = now() {due}";
        _settle = $"UPDATE {accounts} SET {pending} = {pending} - @amount, {table.BalanceColumn} = {table.BalanceColumn} + @amount, updated_at = now() {due}";
        _release = $"UPDATE {accounts} SET {pending} = {pending} - @amount, updated_at = now() {due}";
    }

    public Task<TccOutcome> TryAsync(TccRequest request) =>
        RunAsync(request, TccOp.Try, _reserve, new TccPrecondition(_ownerStatus, WireName.Of(PartyStatus.Active), status => Refusal(request, status)));

    public Task<TccOutcome> ConfirmAsync(TccRequest request) => RunAsync(request, TccOp.Confirm, _settle);

    public Task<TccOutcome> CancelAsync(TccRequest request) => RunAsync(request, TccOp.Cancel, _release);

    private async Task<TccOutcome> RunAsync(TccRequest request, TccOp op, string change, TccPrecondition? precondition = null)
    {
        if (request.Amount < 0)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.InvalidRequest, $"A TCC amount cannot be negative ({request.Amount}).");
        }
        if (request.Amount == 0)
        {
            return TccOutcome.ZeroAmount;
        }
        var business = new TccBusiness(
            change,
            parameters =>
            {
                parameters.AddWithValue("key", request.AccountId);
                parameters.AddWithValue("amount", request.Amount);
            },
            () => Refusal(request, status: null),
            precondition);
        var outcome = await _barrier.RunAsync(
            _dataSource, Identifiers.BarrierId(request.PaymentId, request.Round), op, business, ActivityCancellation.Token);
        _logger.LogInformation(
            "{Branch} {Op} for payment {PaymentId} round {Round} on {AccountId}: {Amount} {Outcome}",
            _table.BranchId, op, request.PaymentId, request.Round, request.AccountId, request.Amount, outcome);
        return outcome;
    }

    private Temporalio.Exceptions.ApplicationFailureException Refusal(TccRequest request, string? status) =>
        status == WireName.Of(PartyStatus.Frozen)
            ? ParticipantErrors.Refusal(_table.FrozenErrorType, $"'{request.AccountId}' is frozen: {_table.BranchId} try refused.")
            : ParticipantErrors.Refusal(ParticipantErrors.AccountNotFound, $"No {_table.BranchId} account for '{request.AccountId}'.");
}
