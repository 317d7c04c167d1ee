using System.Net;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>
/// The merchant notification: an extra attempt on the operator's request, the merchant's acknowledgement (also while the
/// first attempt, the completion's own, awaits the merchant and no notification workflow exists yet), 409 once settled.
/// </summary>
[Collection(SharedApi.Name)]
public sealed class Notification_Specs(ApiFixture api) : IDisposable
{
    private readonly MerchantEndpoint _merchant = new() { Answer = (HttpStatusCode.InternalServerError, "busy") };

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task Retry_PendingNotification_MakesAnExtraAttemptNow()
    {
        var (shop, paymentId) = await PaidWithAFailedFirstAttemptAsync();
        _merchant.Answer = (HttpStatusCode.OK, " Success\n");

        using var retry = await Client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null);
        var delivered = await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "DELIVERED");

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(["HTTP_ERROR", "DELIVERED"], delivered["attempts"]!.AsArray().Select(a => (string)a!["outcome"]!));
        Assert.Equal(2, _merchant.Received.Count);
        Assert.Single(_merchant.Received.Select(r => r.NotifyId).Distinct());
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null), HttpStatusCode.Conflict);
        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsync(new Uri($"/api/payments/{paymentId}/notification/ack", UriKind.Relative), null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Acknowledge_PendingNotification_StopsNotifying()
    {
        var (shop, paymentId) = await PaidWithAFailedFirstAttemptAsync();

        using var ack = await shop.Client.PostAsync(new Uri($"/api/payments/{paymentId}/notification/ack", UriKind.Relative), null);
        var acknowledged = await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "ACKNOWLEDGED");

        Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
        Assert.Equal("ACKNOWLEDGED", (string?)acknowledged["status"]);
        Assert.Null(acknowledged["nextAttemptAt"]);
        Assert.Single(acknowledged["attempts"]!.AsArray());
        Assert.Equal("ACKNOWLEDGED", (string?)(await Client.GetAsync($"/api/payments/{paymentId}"))["notification"]);
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task RetryOrAcknowledge_BeforeAnyNotification_Answers409()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;

        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null), HttpStatusCode.Conflict);
        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsync(new Uri($"/api/payments/{paymentId}/notification/ack", UriKind.Relative), null), HttpStatusCode.Conflict);
        var notification = await Client.GetAsync($"/api/payments/{paymentId}/notification", shop.Client);
        Assert.Equal("NONE", (string?)notification["status"]);
    }

    [Fact]
    public async Task RetryOrAcknowledge_DeliveredAtTheFirstAttempt_Answers409()
    {
        _merchant.Answer = (HttpStatusCode.OK, "success");
        var (shop, paymentId) = await PaidAsync();

        var delivered = await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "DELIVERED");

        Assert.Equal(["DELIVERED"], delivered["attempts"]!.AsArray().Select(a => (string)a!["outcome"]!));
        Assert.Null(delivered["nextAttemptAt"]);
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null), HttpStatusCode.Conflict);
        await PaymentsClient.AssertProblemAsync(
            await shop.Client.PostAsync(new Uri($"/api/payments/{paymentId}/notification/ack", UriKind.Relative), null), HttpStatusCode.Conflict);
        Assert.Single(_merchant.Received);
    }

    [Fact]
    public async Task Acknowledge_WhileTheFirstAttemptAwaitsTheMerchant_EndsAcknowledged()
    {
        var merchantAnswers = new TaskCompletionSource();
        _merchant.Held = merchantAnswers.Task;
        var (shop, paymentId) = await PaidAsync();
        await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "PENDING");

        using var ack = await shop.Client.PostAsync(new Uri($"/api/payments/{paymentId}/notification/ack", UriKind.Relative), null);
        merchantAnswers.SetResult();
        var acknowledged = await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "ACKNOWLEDGED");

        Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
        Assert.Equal(["HTTP_ERROR"], acknowledged["attempts"]!.AsArray().Select(a => (string)a!["outcome"]!));
        Assert.Null(acknowledged["nextAttemptAt"]);
        Assert.Single(_merchant.Received);
    }

    [Fact]
    public async Task Retry_WhileTheFirstAttemptAwaitsTheMerchant_ExtraAttemptOnceItFailed()
    {
        var merchantAnswers = new TaskCompletionSource();
        _merchant.Held = merchantAnswers.Task;
        var (_, paymentId) = await PaidAsync();
        await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "PENDING");

        using var retry = await Client.Operator.PostAsync(new Uri($"/api/payments/{paymentId}/notification/retry", UriKind.Relative), null);
        _merchant.Answer = (HttpStatusCode.OK, "success");
        merchantAnswers.SetResult();
        var delivered = await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => (string?)n["status"] == "DELIVERED");

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(["HTTP_ERROR", "DELIVERED"], delivered["attempts"]!.AsArray().Select(a => (string)a!["outcome"]!));
        Assert.Equal(2, _merchant.Received.Count);
    }

    public void Dispose() => _merchant.Dispose();

    private async Task<(Shop Shop, string PaymentId)> PaidAsync()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        return (shop, paymentId);
    }

    /// <summary>A PAID payment whose first notification attempt the merchant answered 500: PENDING, the next slot 4 minutes later.</summary>
    private async Task<(Shop Shop, string PaymentId)> PaidWithAFailedFirstAttemptAsync()
    {
        var (shop, paymentId) = await PaidAsync();
        var pending = await Client.WaitForAsync($"/api/payments/{paymentId}/notification", n => n["attempts"]!.AsArray().Count == 1 && n["nextAttemptAt"] is not null);
        Assert.Equal("PENDING", (string?)pending["status"]);
        var attempt = pending["attempts"]![0]!;
        Assert.Equal((500, "HTTP_ERROR"), ((int)attempt["httpStatus"]!, (string)attempt["outcome"]!));
        Assert.Equal(
            DateTimeOffset.Parse((string)attempt["at"]!, System.Globalization.CultureInfo.InvariantCulture).AddMinutes(4),
            DateTimeOffset.Parse((string)pending["nextAttemptAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        return (shop, paymentId);
    }
}
