using Payments.Activities;
using Temporalio.Common;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>
/// Retry policy and timeouts of each kind of step (reasons in README.md, "Workflows"). Every call is bounded by a
/// start-to-close timeout, so a worker that dies mid-call is noticed and the call runs again elsewhere.
/// </summary>
internal static class StepOptions
{
    /// <summary>
    /// The platform's own records, not a participant's business step: the order row (load, status moves, progress, the
    /// bank's result, decisions), the notification's record and settings. Retried until the database is back.
    /// </summary>
    public static readonly ActivityOptions OwnRecords = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(15),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
            NonRetryableErrorTypes = [ParticipantErrors.PaymentNotFound, ParticipantErrors.IllegalTransition],
        },
    };

    /// <summary>A TCC try: a refusal or a few failed attempts send the payment to compensation, not into a long wait.</summary>
    public static readonly ActivityOptions TccTry = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(15),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromSeconds(10),
            MaximumAttempts = 5,
            NonRetryableErrorTypes = [ParticipantErrors.MerchantFrozen, ParticipantErrors.UserFrozen, ParticipantErrors.AccountNotFound],
        },
    };

    /// <summary>A TCC confirm or cancel: must succeed eventually, so it is retried without limit.</summary>
    public static readonly ActivityOptions TccSettle = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(15),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(1),
        },
    };

    /// <summary>
    /// <see cref="OwnRecords"/> as a local activity: run by the worker inside the workflow task, no task round trip through the
    /// server; a backoff past the local retry threshold (1 min) becomes a timer (costs in README.md, "Local activities").
    /// </summary>
    public static readonly LocalActivityOptions LocalOwnRecords = new() { StartToCloseTimeout = OwnRecords.StartToCloseTimeout, RetryPolicy = OwnRecords.RetryPolicy };

    /// <summary><see cref="TccTry"/> as a local activity: its five attempts stay within the workflow task.</summary>
    public static readonly LocalActivityOptions LocalTccTry = new() { StartToCloseTimeout = TccTry.StartToCloseTimeout, RetryPolicy = TccTry.RetryPolicy };

    /// <summary><see cref="TccSettle"/> as a local activity.</summary>
    public static readonly LocalActivityOptions LocalTccSettle = new() { StartToCloseTimeout = TccSettle.StartToCloseTimeout, RetryPolicy = TccSettle.RetryPolicy };

    /// <summary>The voucher: the reliable message, retried without limit; the backoff is capped so a recovered ledger is used within minutes.</summary>
    public static readonly ActivityOptions Voucher = new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(1),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(5),
            NonRetryableErrorTypes = [ParticipantErrors.VoucherConflict, ParticipantErrors.InvalidRequest],
        },
    };

    /// <summary>The bank refund: idempotent on its refund id, retried without limit unless the bank refuses it.</summary>
    public static readonly ActivityOptions Refund = new()
    {
        // The bank's HTTP client gives up after 30 s; this leaves room to record the answer.
        StartToCloseTimeout = TimeSpan.FromSeconds(45),
        RetryPolicy = new RetryPolicy
        {
            InitialInterval = TimeSpan.FromSeconds(2),
            BackoffCoefficient = 2,
            MaximumInterval = TimeSpan.FromMinutes(5),
            NonRetryableErrorTypes = [ParticipantErrors.RefundRejected],
        },
    };

    /// <summary>One bank status query: one attempt, its answer returned; the workflow's query schedule and backoff are the retries.</summary>
    public static readonly ActivityOptions BankQuery = new()
    {
        // The bank gets 20 s to answer (the HTTP client's timeout); the rest is for the worker.
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 1 },
    };

    /// <summary>One notification attempt: exactly one try per slot, the schedule is the retry policy.</summary>
    public static readonly ActivityOptions NotificationAttempt = new()
    {
        // The merchant gets 10 s to answer; the rest is for signing and recording the attempt.
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 1 },
    };
}
