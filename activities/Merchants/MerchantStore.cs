using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Merchants;

/// <summary>Merchants: creation (with their fund account), lookup by API key, freeze and unfreeze.</summary>
public sealed class MerchantStore(NpgsqlDataSource dataSource, ILogger<MerchantStore> logger)
{
    private const string Columns = "merchant_id, name, currency, fee_bps, status";

    /// <summary>Creates the merchant and its empty fund account; null when the id exists (409).</summary>
    public async Task<MerchantCredentials?> CreateAsync(NewMerchant merchant, CancellationToken cancellationToken = default)
    {
        var apiKey = ApiKeys.NewApiKey();
        var notifySecret = ApiKeys.NewNotifySecret();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO merchants.merchants (merchant_id, name, currency, fee_bps, api_key_hash, notify_secret)
            VALUES (@id, @name, @currency, @fee, @hash, @secret) ON CONFLICT (merchant_id) DO NOTHING
            """,
            connection,
            transaction))
        {
            insert.Parameters.With("id", merchant.MerchantId).With("name", merchant.Name).With("currency", merchant.Currency)
                .With("fee", merchant.FeeBps).With("hash", ApiKeys.Hash(apiKey)).With("secret", notifySecret);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }
        await using (var account = new NpgsqlCommand(
            "INSERT INTO funds.accounts (merchant_id, currency) VALUES (@id, @currency)", connection, transaction))
        {
            account.Parameters.With("id", merchant.MerchantId).With("currency", merchant.Currency);
            await account.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Created merchant {MerchantId} ({Currency}, {FeeBps} bps)", merchant.MerchantId, merchant.Currency, merchant.FeeBps);
        return new MerchantCredentials(
            new Merchant(merchant.MerchantId, merchant.Name, merchant.Currency, merchant.FeeBps, PartyStatus.Active), apiKey, notifySecret);
    }

    public Task<Merchant?> GetAsync(string merchantId, CancellationToken cancellationToken = default) =>
        SingleAsync($"SELECT {Columns} FROM merchants.merchants WHERE merchant_id = @value", merchantId, cancellationToken);

    /// <summary>The merchant a bearer API key belongs to, or null.</summary>
    public Task<Merchant?> FindByApiKeyAsync(string apiKey, CancellationToken cancellationToken = default) =>
        SingleAsync($"SELECT {Columns} FROM merchants.merchants WHERE api_key_hash = @value", ApiKeys.Hash(apiKey), cancellationToken);

    /// <summary>Freeze or unfreeze; null when the merchant does not exist.</summary>
    public async Task<Merchant?> SetStatusAsync(string merchantId, PartyStatus status, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"UPDATE merchants.merchants SET status = @status WHERE merchant_id = @value RETURNING {Columns}");
        command.Parameters.With("value", merchantId).With("status", WireName.Of(status));
        var merchant = await ReadSingleAsync(command, cancellationToken);
        if (merchant is not null)
        {
            logger.LogInformation("Merchant {MerchantId} is now {Status}", merchantId, status);
        }
        return merchant;
    }

    public async Task<string?> GetNotifySecretAsync(string merchantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT notify_secret FROM merchants.merchants WHERE merchant_id = @id");
        command.Parameters.With("id", merchantId);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    private async Task<Merchant?> SingleAsync(string sql, object value, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.With("value", value);
        return await ReadSingleAsync(command, cancellationToken);
    }

    private static async Task<Merchant?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new Merchant(
            reader.GetString("merchant_id"),
            reader.GetString("name"),
            reader.GetString("currency"),
            reader.GetInt32("fee_bps"),
            reader.GetWire<PartyStatus>("status"));
    }
}
