using DbUp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Payments.Activities.Database;

/// <summary>The one entry point that brings a database to the current schema (embedded scripts in <c>Schema/</c>, applied by DbUp).</summary>
public static class PaymentsDatabase
{
    // Any constant shared by every process that migrates: the API and the workers may start together.
    private const long MigrationLockKey = 0x5061796d656e7473;

    public static async Task MigrateAsync(string connectionString, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        logger ??= NullLogger.Instance;
        connectionString = DatabaseOptions.Unpooled(connectionString);
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", MigrationLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(PaymentsDatabase).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal))
                .JournalToPostgresqlTable("public", "schema_versions")
                .WithTransactionPerScript()
                .LogTo(logger)
                .Build();
            var result = await Task.Run(upgrader.PerformUpgrade, cancellationToken);
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Database migration failed at {result.ErrorScript?.Name}.", result.Error);
            }
            logger.LogInformation("Database schema current; {ScriptCount} scripts applied now", result.Scripts.Count());
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
