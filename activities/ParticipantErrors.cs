using Temporalio.Exceptions;

namespace Payments.Activities;

/// <summary>
/// Business refusals, raised as non-retryable Temporal failures with these error types; anything else an activity
/// throws (connection lost, serialization failure, deadlock) is transient and retried by Temporal.
/// </summary>
public static class ParticipantErrors
{
    public const string MerchantFrozen = "MerchantFrozen";
    public const string UserFrozen = "UserFrozen";
    public const string AccountNotFound = "AccountNotFound";
    public const string PaymentNotFound = "PaymentNotFound";
    public const string MerchantNotFound = "MerchantNotFound";
    public const string IllegalTransition = "IllegalTransition";
    public const string InvalidRequest = "InvalidRequest";
    public const string VoucherConflict = "VoucherConflict";
    public const string RefundRejected = "RefundRejected";

    /// <summary>A confirm without a try that ran, or a confirm and a cancel of the same branch: a coordinator bug.</summary>
    public const string TccProtocolViolation = "TccProtocolViolation";

    public static ApplicationFailureException Refusal(string errorType, string message) =>
        new(message, errorType: errorType, nonRetryable: true);
}
