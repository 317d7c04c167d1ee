using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Payments.Activities.Database;

/// <summary><c>ConnectionStrings:Payments</c>: the participants' PostgreSQL (supplied by the embedded mode when not configured in Development).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "ConnectionStrings";
    public const string Key = "ConnectionStrings:Payments";

    [ConfigurationKeyName("Payments")]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// For what connects seldom (the migrations at start, a readiness probe): unpooled, so it leaves no idle backend
    /// behind for minutes in a pool nobody uses again. Everything else goes through the host's one pooled data source.
    /// </summary>
    public static string Unpooled(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
}
