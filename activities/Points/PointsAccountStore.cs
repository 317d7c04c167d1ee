using Npgsql;
using Payments.Activities.Database;

namespace Payments.Activities.Points;

public sealed record PointsAccount(string UserId, long Points, long PendingPoints);

public sealed class PointsAccountStore(NpgsqlDataSource dataSource)
{
    public async Task<PointsAccount?> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, points, pending_points FROM points.accounts WHERE user_id = @id");
        command.Parameters.With("id", userId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PointsAccount(reader.GetString("user_id"), reader.GetInt64("points"), reader.GetInt64("pending_points"))
            : null;
    }
}
