using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Payments.Activities.Merchants;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Notifications;

/// <summary>Best-effort merchant notification: one signed POST per call, every attempt logged, the merchant's failure returned, not thrown.</summary>
public sealed class NotificationActivities(
    IHttpClientFactory httpClientFactory,
    MerchantStore merchants,
    NotificationStore store,
    TimeProvider clock,
    ILogger<NotificationActivities> logger)
{
    public const string HttpClientName = "merchant-notify";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int MaxErrorLength = 500;

    /// <summary>
    /// Logs the send, POSTs the notification once (10 s timeout) and records the attempt under its number, whatever happens. A 2xx
    /// answer whose trimmed body is <c>success</c> (any case) is DELIVERED; anything else is a failed attempt, returned.
    /// </summary>
    [Activity]
    public async Task<NotificationAttemptRecord> AttemptNotificationAsync(NotificationRequest request)
    {
        var secret = await merchants.GetNotifySecretAsync(request.MerchantId, ActivityCancellation.Token)
            ?? throw ParticipantErrors.Refusal(ParticipantErrors.MerchantNotFound, $"Merchant {request.MerchantId} does not exist.");
        // The activity's own try number: a try after a crash sends again, and that send is logged too.
        var @try = ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.Info.Attempt : 1;
        await store.RecordSendAsync(request.PaymentId, request.NotifyId, request.Number, @try, ActivityCancellation.Token);
        var (httpStatus, outcome, error) = await PostAsync(request, secret);
        var attempt = new NotificationAttemptRecord(request.Number, request.At, httpStatus, outcome, Truncate(error));
        await store.RecordAttemptAsync(request.PaymentId, request.NotifyId, attempt, ActivityCancellation.Token);
        logger.LogInformation(
            "Notification {NotifyId} attempt {Number} for payment {PaymentId}: {Outcome} {HttpStatus} {Error}",
            request.NotifyId, request.Number, request.PaymentId, outcome, httpStatus, error);
        return attempt;
    }

    /// <summary>Records the workflow's decision: DELIVERED, ACKNOWLEDGED, GAVE_UP, or PENDING with the next attempt's time.</summary>
    [Activity]
    public async Task RecordNotificationOutcomeAsync(NotificationStatusUpdate update)
    {
        await store.RecordStatusAsync(update, ActivityCancellation.Token);
        logger.LogInformation(
            "Notification {NotifyId} for payment {PaymentId} is {Status}, next attempt {NextAttemptAt}",
            update.NotifyId, update.PaymentId, update.Status, update.NextAttemptAt);
    }

    private async Task<(int? HttpStatus, NotificationOutcome Outcome, string? Error)> PostAsync(NotificationRequest request, string secret)
    {
        var cancellationToken = ActivityCancellation.Token;
        var body = NotificationMessage.Serialize(request);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var message = new HttpRequestMessage(HttpMethod.Post, request.NotifyUrl) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        message.Headers.Add(NotificationHeaders.NotifyId, request.NotifyId);
        message.Headers.Add(NotificationHeaders.Timestamp, timestamp.ToString());
        message.Headers.Add(NotificationHeaders.Signature, Signatures.Sign(secret, timestamp, body));
        using var client = httpClientFactory.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(message, cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                return (status, NotificationOutcome.HttpError, $"HTTP {status}: {answer}");
            }
            return string.Equals(answer.Trim(), "success", StringComparison.OrdinalIgnoreCase)
                ? (status, NotificationOutcome.Delivered, null)
                : (status, NotificationOutcome.UnexpectedBody, $"Body was not 'success': {answer}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, NotificationOutcome.Timeout, $"No answer within {client.Timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return (null, NotificationOutcome.ConnectionFailed, e.Message);
        }
    }

    private static string? Truncate(string? error) => error is { Length: > MaxErrorLength } ? error[..MaxErrorLength] : error;
}
