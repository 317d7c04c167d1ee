namespace Payments.Activities;

/// <summary>The configuration the participants read (section <c>Payments</c>, plus <c>ConnectionStrings:Payments</c>).</summary>
public sealed class ParticipantOptions
{
    public const string Section = "Payments";
    public const string ConnectionStringName = "Payments";
    public const string DevelopmentBankSecret = "dev-bank-secret";

    public string? ConnectionString { get; set; }

    /// <summary>Signs refund requests to the bank, as the bank signs its callbacks (<c>Payments:BankSecret</c>).</summary>
    public string BankSecret { get; set; } = DevelopmentBankSecret;

    public BankOptions Bank { get; set; } = new();

    /// <summary><c>Payments:Reconciliation</c>: the ledger reconciliation's grace period.</summary>
    public Reconciliation.ReconciliationOptions Reconciliation { get; set; } = new();

    public string RequireConnectionString() =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not configured.")
            : ConnectionString;
}

public sealed class BankOptions
{
    /// <summary><c>Payments:Bank:RefundUrl</c>: where refund requests are POSTed.</summary>
    public Uri? RefundUrl { get; set; }
}
