using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Payments.Tests.Fixtures;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Notifications;

/// <summary>One signed notification attempt against a real merchant endpoint on loopback; every outcome is recorded, none thrown.</summary>
public sealed class NotificationAttempt_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset PaidAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AttemptAt = new(2026, 11, 23, 12, 0, 5, TimeSpan.Zero);
    private readonly ActivityEnvironment _environment = new();
    private LoopbackServer _merchant = null!;

    public Task InitializeAsync()
    {
        _merchant = LoopbackServer.Start(AnswerAsync);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _merchant.DisposeAsync();

    /// <summary>With the contract's 10 s timeout: a loopback answer slowed by a loaded machine is still an answer.</summary>
    private NotificationActivities Activities => fixture.Get<NotificationActivities>();

    [Fact]
    public async Task Attempt_MerchantAnswersSuccess_DeliveredWithContractBodyAndVerifiableSignature()
    {
        var (request, secret) = await NewRequestAsync("/success");

        var attempt = await _environment.RunAsync(() => Activities.AttemptNotificationAsync(request));

        Assert.Equal(new NotificationAttemptRecord(1, AttemptAt, 200, NotificationOutcome.Delivered, null), attempt);
        var received = Assert.Single(_merchant.Received);
        Assert.Equal(request.NotifyId, received.Headers[NotificationHeaders.NotifyId]);
        var timestamp = received.Headers[NotificationHeaders.Timestamp];
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(received.Body).ToArray()));
        Assert.Equal(expected, received.Headers[NotificationHeaders.Signature]);
        Assert.StartsWith("application/json", received.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal(
            ["notifyId", "paymentId", "merchantOrderNo", "amount", "currency", "status", "paidAt"],
            body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal((request.PaymentId, 10_000L, "PAID", "2026-11-23T12:00:00Z"), (
            body.RootElement.GetProperty("paymentId").GetString(),
            body.RootElement.GetProperty("amount").GetInt64(),
            body.RootElement.GetProperty("status").GetString(),
            body.RootElement.GetProperty("paidAt").GetString()));
    }

    [Theory]
    [InlineData("/success-shouted", 200, NotificationOutcome.Delivered)]
    [InlineData("/server-error", 500, NotificationOutcome.HttpError)]
    [InlineData("/not-found", 404, NotificationOutcome.HttpError)]
    [InlineData("/wrong-body", 200, NotificationOutcome.UnexpectedBody)]
    [InlineData("/success-but-202", 202, NotificationOutcome.Delivered)]
    public async Task Attempt_MerchantAnswer_RecordedWithItsOutcome(string path, int httpStatus, NotificationOutcome outcome)
    {
        var (request, _) = await NewRequestAsync(path);

        var attempt = await _environment.RunAsync(() => Activities.AttemptNotificationAsync(request));

        Assert.Equal((httpStatus, outcome), (attempt.HttpStatus, attempt.Outcome));
        Assert.Equal(outcome == NotificationOutcome.Delivered, attempt.Error is null);
        Assert.Equal(attempt, Assert.Single((await fixture.Get<NotificationStore>().GetAsync(request.PaymentId)).Attempts));
    }

    [Fact]
    public async Task Attempt_MerchantNeverAnswers_RecordedAsTimeout()
    {
        var (request, _) = await NewRequestAsync("/hang");
        // The endpoint answers never (it waits for the client to give up), so the timeout is shortened for this spec only:
        // the same client, configured by the test's host.
        await using var impatient = fixture.BuildServices(configure: services =>
            services.AddHttpClient(NotificationActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(1)));

        var attempt = await _environment.RunAsync(() => impatient.GetRequiredService<NotificationActivities>().AttemptNotificationAsync(request));

        Assert.Equal((null, NotificationOutcome.Timeout), (attempt.HttpStatus, attempt.Outcome));
    }

    [Fact]
    public async Task Attempt_ConnectionRefused_RecordedAsConnectionFailed()
    {
        var (request, _) = await NewRequestAsync("/notify");
        request = request with { NotifyUrl = LoopbackServer.RefusingUrl("/notify").ToString() };

        var attempt = await _environment.RunAsync(() => Activities.AttemptNotificationAsync(request));

        Assert.Equal((null, NotificationOutcome.ConnectionFailed), (attempt.HttpStatus, attempt.Outcome));
        Assert.NotNull(attempt.Error);
    }

    [Fact]
    public async Task Attempts_NumberedAndRetried_EachNumberRecordedOnceWithSameNotifyId()
    {
        var (request, _) = await NewRequestAsync("/server-error");

        await _environment.RunAsync(() => Activities.AttemptNotificationAsync(request));
        await _environment.RunAsync(() => Activities.AttemptNotificationAsync(request));
        var second = request with { Number = 2, At = AttemptAt.AddMinutes(4), NotifyUrl = _merchant.Url("/success").ToString() };
        await _environment.RunAsync(() => Activities.AttemptNotificationAsync(second));

        var status = await fixture.Get<NotificationStore>().GetAsync(request.PaymentId);
        Assert.Equal((NotificationState.Delivered, request.NotifyId), (status.Status, status.NotifyId));
        Assert.Equal([NotificationOutcome.HttpError, NotificationOutcome.Delivered], status.Attempts.Select(a => a.Outcome));
        Assert.Equal([AttemptAt, AttemptAt.AddMinutes(4)], status.Attempts.Select(a => a.At));
        Assert.Single(_merchant.Received.Select(r => r.Headers[NotificationHeaders.NotifyId]).Distinct());
    }

    [Fact]
    public async Task Attempt_TriedAgainAfterItsWorkerDied_EverySendTheMerchantReceivedIsLogged()
    {
        var (request, _) = await NewRequestAsync("/success");
        var retried = new ActivityEnvironment { Info = ActivityEnvironment.DefaultInfo with { Attempt = 2 } };

        await _environment.RunAsync(() => Activities.AttemptNotificationAsync(request));
        await retried.RunAsync(() => Activities.AttemptNotificationAsync(request));

        Assert.Equal(2, _merchant.Received.Count);
        Assert.Equal(2L, await fixture.ScalarAsync("SELECT count(*) FROM notify.sends WHERE payment_id = @payment", ("payment", request.PaymentId)));
        Assert.Single((await fixture.Get<NotificationStore>().GetAsync(request.PaymentId)).Attempts);
    }

    [Fact]
    public async Task Attempt_DeliveredAfterAPendingSlot_DeliveredWithNoNextAttempt()
    {
        var (failing, _) = await NewRequestAsync("/server-error");
        await _environment.RunAsync(() => Activities.AttemptNotificationAsync(failing));
        await _environment.RunAsync(() => Activities.RecordNotificationOutcomeAsync(
            new NotificationStatusUpdate(failing.PaymentId, failing.NotifyId, NotificationState.Pending, AttemptAt.AddMinutes(4))));

        await _environment.RunAsync(() => Activities.AttemptNotificationAsync(failing with { Number = 2, NotifyUrl = _merchant.Url("/success").ToString() }));

        var status = await fixture.Get<NotificationStore>().GetAsync(failing.PaymentId);
        Assert.Equal((NotificationState.Delivered, null, 2), (status.Status, status.NextAttemptAt, status.Attempts.Count));
    }

    [Fact]
    public async Task RecordOutcome_PendingThenDelivered_ShownInStatus()
    {
        var (request, _) = await NewRequestAsync("/success");
        var next = AttemptAt.AddMinutes(4);

        await _environment.RunAsync(() => Activities.RecordNotificationOutcomeAsync(new NotificationStatusUpdate(request.PaymentId, request.NotifyId, NotificationState.Pending, next)));
        var pending = await fixture.Get<NotificationStore>().GetAsync(request.PaymentId);
        await _environment.RunAsync(() => Activities.RecordNotificationOutcomeAsync(new NotificationStatusUpdate(request.PaymentId, request.NotifyId, NotificationState.Delivered, null)));
        var delivered = await fixture.Get<NotificationStore>().GetAsync(request.PaymentId);

        Assert.Equal((NotificationState.Pending, next), (pending.Status, pending.NextAttemptAt));
        Assert.Equal((NotificationState.Delivered, null), (delivered.Status, delivered.NextAttemptAt));
    }

    [Fact]
    public async Task Status_NoNotificationYet_IsNone()
    {
        var status = await fixture.Get<NotificationStore>().GetAsync("pay_unknown");

        Assert.Equal((NotificationState.None, null, 0), (status.Status, status.NotifyId, status.Attempts.Count));
    }

    [Fact]
    public async Task Attempt_UnknownMerchant_FailsNonRetryable()
    {
        var (request, _) = await NewRequestAsync("/success");

        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => _environment.RunAsync(() => Activities.AttemptNotificationAsync(request with { MerchantId = "nobody" })));

        Assert.Equal((ParticipantErrors.MerchantNotFound, true), (refusal.ErrorType, refusal.NonRetryable));
    }

    private async Task<(NotificationRequest Request, string Secret)> NewRequestAsync(string path)
    {
        var credentials = await fixture.CreateMerchantAsync();
        var order = await fixture.CreateProcessingPaymentAsync(credentials.Merchant.MerchantId, (await fixture.CreateUserAsync()).UserId);
        var request = new NotificationRequest(
            order.PaymentId,
            Identifiers.NotifyId(order.PaymentId),
            1,
            AttemptAt,
            order.MerchantId,
            _merchant.Url(path).ToString(),
            order.MerchantOrderNo,
            order.Amount,
            order.Currency,
            PaymentStatus.Paid,
            PaidAt);
        return (request, credentials.NotifySecret);
    }

    private static Task AnswerAsync(HttpContext context)
    {
        (int Status, string Body) answer = context.Request.Path.Value switch
        {
            "/success" => (200, "success"),
            "/success-shouted" => (200, "  SUCCESS\n"),
            "/success-but-202" => (202, "Success"),
            "/server-error" => (500, "boom"),
            "/wrong-body" => (200, "ok"),
            "/hang" => (0, ""),
            _ => (404, "no such endpoint"),
        };
        if (answer.Status == 0)
        {
            return Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        context.Response.StatusCode = answer.Status;
        return context.Response.WriteAsync(answer.Body);
    }
}
