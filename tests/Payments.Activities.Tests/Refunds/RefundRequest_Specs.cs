using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Payments.Activities.Bank;
using Payments.Activities.Refunds;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Payments.Tests.Fixtures;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Refunds;

/// <summary>The refund request: one signed call to the configured bank URL per attempt, under a refund id that stays the same.</summary>
public sealed class RefundRequest_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>, IAsyncLifetime
{
    private const string BankSecret = "test-bank-secret";
    private readonly ActivityEnvironment _environment = new();
    private LoopbackServer _bank = null!;
    private ServiceProvider _services = null!;
    private HttpStatusCode _answer = HttpStatusCode.OK;

    public Task InitializeAsync()
    {
        _bank = LoopbackServer.Start(context =>
        {
            context.Response.StatusCode = (int)_answer;
            return context.Response.WriteAsync("{}");
        });
        _services = fixture.BuildServices(new Dictionary<string, string?>
        {
            ["Payments:Bank:RefundUrl"] = _bank.Url("/bank/refunds").ToString(),
            ["Payments:BankSecret"] = BankSecret,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _bank.DisposeAsync();
    }

    private RefundActivities Activities => _services.GetRequiredService<RefundActivities>();

    [Fact]
    public async Task Request_BankAccepts_OneSignedCallWithRefundId()
    {
        var request = NewRequest();

        var receipt = await _environment.RunAsync(() => Activities.RequestRefundAsync(request));

        Assert.Equal(new RefundReceipt(request.RefundId, 200), receipt);
        var received = Assert.Single(_bank.Received);
        Assert.Equal("/bank/refunds", received.Path);
        var timestamp = long.Parse(received.Headers[BankHeaders.Timestamp], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Signatures.Verify(BankSecret, timestamp, received.Body, received.Headers[BankHeaders.Signature]));
        using var body = JsonDocument.Parse(received.Body);
        Assert.Equal((request.RefundId, request.Amount), (body.RootElement.GetProperty("refundId").GetString(), body.RootElement.GetProperty("amount").GetInt64()));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM refunds.refunds WHERE refund_id = @id AND accepted_at IS NOT NULL", ("id", request.RefundId)));
    }

    [Fact]
    public async Task Request_BankFailsThenAccepts_RetryableFailureThenSameRefundIdAccepted()
    {
        var request = NewRequest();
        _answer = HttpStatusCode.ServiceUnavailable;

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => _environment.RunAsync(() => Activities.RequestRefundAsync(request)));
        _answer = HttpStatusCode.OK;
        await _environment.RunAsync(() => Activities.RequestRefundAsync(request));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        var refundIds = _bank.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("refundId").GetString()).ToList();
        Assert.Equal([request.RefundId, request.RefundId], refundIds);
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM refunds.refunds WHERE payment_id = @id", ("id", request.PaymentId)));
    }

    [Fact]
    public async Task Request_BankAnswersConflict_TreatedAsAlreadyAccepted()
    {
        _answer = HttpStatusCode.Conflict;

        var receipt = await _environment.RunAsync(() => Activities.RequestRefundAsync(NewRequest()));

        Assert.Equal(409, receipt.HttpStatus);
    }

    [Fact]
    public async Task Request_BankRejects_FailsNonRetryable()
    {
        _answer = HttpStatusCode.BadRequest;

        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(() => _environment.RunAsync(() => Activities.RequestRefundAsync(NewRequest())));

        Assert.Equal((ParticipantErrors.RefundRejected, true), (refusal.ErrorType, refusal.NonRetryable));
    }

    private static RefundRequest NewRequest()
    {
        var paymentId = ParticipantsFixture.NewId("pay");
        return new RefundRequest(paymentId, Identifiers.RefundId(paymentId), "B-1", 10_000, "CNY");
    }
}
