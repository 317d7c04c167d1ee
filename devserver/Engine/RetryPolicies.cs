using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;

namespace Payments.DevServer.Engine;

/// <summary>Temporal's activity retry rules.</summary>
internal static class RetryPolicies
{
    /// <summary>The server-side defaults Temporal fills into an activity's retry policy.</summary>
    public static RetryPolicy WithDefaults(RetryPolicy? policy)
    {
        var filled = policy?.Clone() ?? new RetryPolicy();
        var initial = filled.InitialInterval.ToTimeSpanOrZero();
        if (initial <= TimeSpan.Zero)
        {
            initial = TimeSpan.FromSeconds(1);
            filled.InitialInterval = Duration.FromTimeSpan(initial);
        }
        if (filled.BackoffCoefficient < 1)
        {
            filled.BackoffCoefficient = 2;
        }
        if (filled.MaximumInterval.ToTimeSpanOrZero() <= TimeSpan.Zero)
        {
            filled.MaximumInterval = Duration.FromTimeSpan(initial * 100);
        }
        return filled;
    }

    /// <summary>InProgress with the delay before the next attempt, or why there is none.</summary>
    public static RetryState Decide(ActivityInfo activity, Failure failure, DateTime now, out TimeSpan delay) =>
        Decide(activity.Attributes.RetryPolicy ?? WithDefaults(null), activity.Attempt, failure, now, activity.ScheduleToCloseDeadline, out delay);

    /// <summary>The same rules for any attempt (activities, and workflows that have a retry policy).</summary>
    public static RetryState Decide(RetryPolicy policy, int attempt, Failure failure, DateTime now, DateTime deadline, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        var application = failure.ApplicationFailureInfo;
        if ((application is not null && (application.NonRetryable || policy.NonRetryableErrorTypes.Contains(application.Type))) || failure.ServerFailureInfo?.NonRetryable == true)
        {
            return RetryState.NonRetryableFailure;
        }
        if (policy.MaximumAttempts > 0 && attempt >= policy.MaximumAttempts)
        {
            return RetryState.MaximumAttemptsReached;
        }
        // In seconds as a double: the backoff of a long-retried attempt (2^40 s and more) is past what a TimeSpan holds.
        var backoffSeconds = policy.InitialInterval.ToTimeSpanOrZero().TotalSeconds * Math.Pow(policy.BackoffCoefficient, attempt - 1);
        var maximum = policy.MaximumInterval.ToTimeSpanOrZero();
        if (maximum > TimeSpan.Zero)
        {
            backoffSeconds = Math.Min(backoffSeconds, maximum.TotalSeconds);
        }
        var backoff = backoffSeconds < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(backoffSeconds) : TimeSpan.MaxValue;
        delay = application?.NextRetryDelay is { } next && next.ToTimeSpan() > TimeSpan.Zero ? next.ToTimeSpan() : backoff;
        return delay >= deadline - now ? RetryState.Timeout : RetryState.InProgress;
    }
}
