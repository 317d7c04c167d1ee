using Npgsql;
using Payments.Activities.Database;

namespace Payments.Activities.Funds;

public sealed record FundAccount(string MerchantId, string Currency, long Balance, long PendingCredit);

public sealed class FundAccountStore(NpgsqlDataSource dataSource)
{
    public async Task<FundAccount?> GetAsync(string merchantId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT merchant_id, currency, balance, pending_credit FROM funds.accounts WHERE merchant_id = @id");
        command.Parameters.With("id", merchantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new FundAccount(reader.GetString("merchant_id"), reader.GetString("currency"), reader.GetInt64("balance"), reader.GetInt64("pending_credit"))
            : null;
    }
}
