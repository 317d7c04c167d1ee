using Microsoft.Extensions.Logging;
using Payments.Activities.Notifications;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>
/// The steps of notifying a merchant, called from workflow code: the completion's first attempt and every later one of
/// <c>notify-{paymentId}</c> go through the same attempt activity and the same records.
/// </summary>
internal static class NotificationSteps
{
    /// <summary>
    /// One attempt (its send and its outcome logged by the activity); an attempt that could not even run (database down,
    /// worker lost) is a failed attempt all the same: the schedule, not a retry, decides what comes next.
    /// </summary>
    public static async Task<NotificationAttemptRecord> AttemptAsync(NotificationFacts payment, string notifyId, int number)
    {
        var request = new NotificationRequest(
            payment.PaymentId,
            notifyId,
            number,
            Workflow.UtcNow,
            payment.MerchantId,
            payment.NotifyUrl,
            payment.MerchantOrderNo,
            payment.Amount,
            payment.Currency,
            payment.Status,
            payment.PaidAt);
        try
        {
            return await Workflow.ExecuteActivityAsync(
                (NotificationActivities a) => a.AttemptNotificationAsync(request), StepOptions.NotificationAttempt);
        }
        catch (ActivityFailureException failure)
        {
            Workflow.Logger.LogWarning("Payment {PaymentId}: notification attempt {Number} could not run", payment.PaymentId, number);
            return new NotificationAttemptRecord(
                number, request.At, null, NotificationOutcome.ConnectionFailed, failure.InnerException?.Message ?? failure.Message);
        }
    }

    /// <summary>Records the notification's state (DELIVERED, ACKNOWLEDGED, GAVE_UP, or PENDING with the next attempt's time).</summary>
    public static Task RecordAsync(NotificationStatusUpdate update, bool local) => local
        ? Workflow.ExecuteLocalActivityAsync((NotificationActivities a) => a.RecordNotificationOutcomeAsync(update), StepOptions.LocalOwnRecords)
        : Workflow.ExecuteActivityAsync((NotificationActivities a) => a.RecordNotificationOutcomeAsync(update), StepOptions.OwnRecords);

    /// <summary>The configured schedule (workflows cannot read configuration).</summary>
    public static Task<NotificationSettings> SettingsAsync(bool local) => local
        ? Workflow.ExecuteLocalActivityAsync((NotificationSettingsActivities a) => a.GetNotificationSettings(), StepOptions.LocalOwnRecords)
        : Workflow.ExecuteActivityAsync((NotificationSettingsActivities a) => a.GetNotificationSettings(), StepOptions.OwnRecords);
}
