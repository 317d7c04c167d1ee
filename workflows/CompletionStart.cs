using Microsoft.Extensions.Options;
using Payments.Activities.Orders;
using Temporalio.Activities;

namespace Payments.Workflows;

/// <summary>What the completion starts from since its <c>settings-with-load</c> patch: the order and the notification schedule.</summary>
public sealed record CompletionStart(PaymentFacts Payment, NotificationSettings NotificationSettings);

/// <summary>
/// The completion's first step as one local activity: the order's facts and the schedule its merchant notification will
/// follow (configuration, no participant's data), so no step between PAID and the first notification attempt waits for it.
/// </summary>
public sealed class CompletionStartActivities(OrderActivities orders, IOptions<NotificationOptions> options)
{
    [Activity]
    public async Task<CompletionStart> LoadCompletionStartAsync(string paymentId) =>
        new(await orders.LoadPaymentAsync(paymentId), options.Value.ToSettings());
}
