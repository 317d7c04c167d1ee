using Npgsql;
using Payments.Activities.Tcc;

namespace Payments.Benchmarks;

/// <summary>
/// The baseline: the same business statements and transactions as <see cref="TccAccount"/>, without the barrier rows.
/// It exists only to measure what the barrier costs.
/// </summary>
internal sealed class PlainTccAccount(NpgsqlDataSource dataSource, TccAccountTable table)
{
    private readonly string _ownerStatus = $"SELECT status FROM {table.OwnerTable} WHERE {table.OwnerKeyColumn} = @key FOR SHARE";
    private readonly string _reserve =
        $"UPDATE {table.Schema}.accounts SET {table.PendingColumn} = {table.PendingColumn} + @amount, updated_at = now() WHERE {table.KeyColumn} = @key";
    private readonly string _settle =
        $"UPDATE {table.Schema}.accounts SET {table.PendingColumn} = {table.PendingColumn} - @amount, {table.BalanceColumn} = {table.BalanceColumn} + @amount, updated_at = now() WHERE {table.KeyColumn} = @key";

    public async Task TryAsync(TccRequest request)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var owner = new NpgsqlCommand(_ownerStatus, connection, transaction))
        {
            owner.Parameters.AddWithValue("key", request.AccountId);
            if (await owner.ExecuteScalarAsync() is not "ACTIVE")
            {
                throw new InvalidOperationException($"{request.AccountId} is not active.");
            }
        }
        await ExecuteAsync(connection, transaction, _reserve, request);
        await transaction.CommitAsync();
    }

    public async Task ConfirmAsync(TccRequest request)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, transaction, _settle, request);
        await transaction.CommitAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, TccRequest request)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddWithValue("key", request.AccountId);
        command.Parameters.AddWithValue("amount", request.Amount);
        await command.ExecuteNonQueryAsync();
    }
}
