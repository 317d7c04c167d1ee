using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Database;
using Payments.Domain;

namespace Payments.Activities.Merchants;

/// <summary>Users (shoppers): creation (with their points account), freeze and unfreeze.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource, ILogger<UserStore> logger)
{
    /// <summary>Creates the user and an empty points account; null when the id exists (409).</summary>
    public async Task<User?> CreateAsync(string userId, string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO merchants.users (user_id, name) VALUES (@id, @name) ON CONFLICT (user_id) DO NOTHING", connection, transaction))
        {
            insert.Parameters.With("id", userId).With("name", name);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return null;
            }
        }
        await using (var account = new NpgsqlCommand("INSERT INTO points.accounts (user_id) VALUES (@id)", connection, transaction))
        {
            account.Parameters.With("id", userId);
            await account.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Created user {UserId}", userId);
        return new User(userId, name, PartyStatus.Active);
    }

    public async Task<User?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, name, status FROM merchants.users WHERE user_id = @id");
        command.Parameters.With("id", userId);
        return await ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>Freeze or unfreeze; null when the user does not exist.</summary>
    public async Task<User?> SetStatusAsync(string userId, PartyStatus status, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE merchants.users SET status = @status WHERE user_id = @id RETURNING user_id, name, status");
        command.Parameters.With("id", userId).With("status", WireName.Of(status));
        var user = await ReadSingleAsync(command, cancellationToken);
        if (user is not null)
        {
            logger.LogInformation("User {UserId} is now {Status}", userId, status);
        }
        return user;
    }

    private static async Task<User?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new User(reader.GetString("user_id"), reader.GetString("name"), reader.GetWire<PartyStatus>("status"))
            : null;
    }
}
