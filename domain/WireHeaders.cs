namespace Payments.Domain;

/// <summary>The bank's signature headers: on its callbacks, and on the platform's requests to it (refunds, status queries).</summary>
public static class BankHeaders
{
    public const string Timestamp = "X-Bank-Timestamp";
    public const string Signature = "X-Bank-Signature";
}

/// <summary>The headers of the platform's notification to a merchant.</summary>
public static class NotificationHeaders
{
    public const string NotifyId = "X-Payments-Notify-Id";
    public const string Timestamp = "X-Payments-Timestamp";
    public const string Signature = "X-Payments-Signature";
}
