namespace Payments.Activities;

/// <summary>The configuration the participants read (section <c>Payments</c>, plus <c>ConnectionStrings:Payments</c>).</summary>
public sealed class ParticipantOptions
{
    public const string Section = "Payments";
    public const string ConnectionStringName = "Payments";
    public const string BankSecretKey = "Payments:BankSecret";

    /// <summary>The bank secret in Development when none is configured; outside Development a missing one is a start-up error.</summary>
    public const string DevelopmentBankSecret = "dev-bank-secret";

    public string? ConnectionString { get; set; }

    /// <summary>
    /// Signs requests to the bank, as the bank signs its callbacks (<c>Payments:BankSecret</c>). No default here: an empty
    /// value in appsettings would replace it anyway. The API (<c>PlatformCredentials</c>) and the worker registration apply
    /// the rule: required outside Development, <see cref="DevelopmentBankSecret"/> in it.
    /// </summary>
    public string? BankSecret { get; set; }

    public BankOptions Bank { get; set; } = new();

    public OrderOptions Orders { get; set; } = new();
    /// <summary><c>Payments:Reconciliation</c>: the ledger reconciliation's grace period.</summary>
    public Reconciliation.ReconciliationOptions Reconciliation { get; set; } = new();

    public string RequireConnectionString() =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.")
            : ConnectionString;

    public string RequireBankSecret() =>
        string.IsNullOrWhiteSpace(BankSecret) ? throw new InvalidOperationException($"{BankSecretKey} is not configured.") : BankSecret;
}

public sealed class BankOptions
{
    public const string DefaultQuerySchedule = "1m,5m,15m";

    /// <summary><c>Payments:Bank:RefundUrl</c>: where refund requests are POSTed.</summary>
    public Uri? RefundUrl { get; set; }

    /// <summary><c>Payments:Bank:QueryUrl</c>: the bank's status query, <c>GET {QueryUrl}/{paymentId}</c>.</summary>
    public Uri? QueryUrl { get; set; }

    /// <summary><c>Payments:Bank:QuerySchedule</c>: offsets from an order's creation at which a late callback is asked for.</summary>
    public string QuerySchedule { get; set; } = DefaultQuerySchedule;
}

public sealed class OrderOptions
{
    /// <summary><c>Payments:Orders:ExpireAfter</c>: an order nobody paid is closed this long after its creation.</summary>
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromMinutes(30);
}
