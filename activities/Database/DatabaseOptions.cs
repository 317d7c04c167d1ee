using Microsoft.Extensions.Configuration;

namespace Payments.Activities.Database;

/// <summary><c>ConnectionStrings:Payments</c>: the participants' PostgreSQL (supplied by the embedded mode when not configured in Development).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "ConnectionStrings";
    public const string Key = "ConnectionStrings:Payments";

    [ConfigurationKeyName("Payments")]
    public string? ConnectionString { get; set; }
}
