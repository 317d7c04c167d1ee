namespace Payments.Activities.Bank;

/// <summary><c>Payments:Bank</c>: where the platform reaches the bank, and when it asks about a late callback.</summary>
public sealed class BankOptions
{
    public const string Section = "Payments:Bank";
    public const string DefaultQuerySchedule = "1m,5m,15m";

    /// <summary><c>Payments:Bank:RefundUrl</c>: where refund requests are POSTed (the API's bank simulator when enabled and not configured).</summary>
    public Uri? RefundUrl { get; set; }

    /// <summary><c>Payments:Bank:QueryUrl</c>: the bank's status query, <c>GET {QueryUrl}/{paymentId}</c>.</summary>
    public Uri? QueryUrl { get; set; }

    /// <summary><c>Payments:Bank:QuerySchedule</c>: offsets from an order's creation at which a late callback is asked for.</summary>
    public string QuerySchedule { get; set; } = DefaultQuerySchedule;
}

/// <summary>
/// <c>Payments:BankSecret</c>: the HMAC key of the bank's callbacks and of the platform's requests to the bank (API and
/// worker alike). Required outside Development; <see cref="DevelopmentSecret"/> in it when not configured.
/// </summary>
public sealed class BankSecretOptions
{
    public const string Section = "Payments";
    public const string Key = "Payments:BankSecret";
    public const string DevelopmentSecret = "dev-bank-secret";

    public string? BankSecret { get; set; }
}
