using Npgsql;
using Payments.Activities.Tcc;

namespace Payments.Benchmarks;

/// <summary>
/// The baseline: the business change of <see cref="TccAccount"/> (the owner must be active for a try) done the plain way,
/// one statement per call in its own transaction, with no barrier. It exists only to measure what the barrier costs.
/// </summary>
internal sealed class PlainTccAccount(NpgsqlDataSource dataSource, TccAccountTable table)
{
    private readonly string _reserve =
        $"""
        UPDATE {table.Schema}.accounts SET {table.PendingColumn} = {table.PendingColumn} + @amount, updated_at = now()
        WHERE {table.KeyColumn} = @key
          AND EXISTS (SELECT 1 FROM {table.OwnerTable} WHERE {table.OwnerKeyColumn} = @key AND status = 'ACTIVE' FOR SHARE)
        """;

    private readonly string _settle =
        $"""
        UPDATE {table.Schema}.accounts
        SET {table.PendingColumn} = {table.PendingColumn} - @amount, {table.BalanceColumn} = {table.BalanceColumn} + @amount, updated_at = now()
        WHERE {table.KeyColumn} = @key
        """;

    public Task TryAsync(TccRequest request) => RunAsync(_reserve, request);

    public Task ConfirmAsync(TccRequest request) => RunAsync(_settle, request);

    private async Task RunAsync(string sql, TccRequest request)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("key", request.AccountId);
        command.Parameters.AddWithValue("amount", request.Amount);
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException($"{request.AccountId} is not an active account.");
        }
        await transaction.CommitAsync();
    }
}
