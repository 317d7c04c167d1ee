using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using Payments.Activities.Database;

namespace Payments.Activities.Reconciliation;

/// <summary>The stored reconciliation reports: one per run (a retried run overwrites its own), newest first.</summary>
public sealed class ReconciliationReportStore(NpgsqlDataSource dataSource)
{
    public const int MaxListed = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    public async Task SaveAsync(ReconciliationReport report, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO reconciliation.reports (report_id, checked_at, difference_count, differences) VALUES (@id, @checkedAt, @count, @differences)
            ON CONFLICT (report_id) DO UPDATE SET checked_at = excluded.checked_at, difference_count = excluded.difference_count, differences = excluded.differences
            """);
        command.Parameters.With("id", report.ReportId).With("checkedAt", report.CheckedAt).With("count", report.Differences.Count)
            .WithNullable("differences", JsonSerializer.Serialize(report.Differences, Json), NpgsqlDbType.Jsonb);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The last <paramref name="limit"/> reports, newest first.</summary>
    public async Task<IReadOnlyList<ReconciliationReport>> ListRecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT report_id, checked_at, differences FROM reconciliation.reports ORDER BY checked_at DESC, report_id LIMIT @limit");
        command.Parameters.With("limit", Math.Clamp(limit, 1, MaxListed));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var reports = new List<ReconciliationReport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var differences = JsonSerializer.Deserialize<List<LedgerDifference>>(reader.GetString(2), Json) ?? [];
            reports.Add(new ReconciliationReport(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), differences));
        }
        return reports;
    }
}
