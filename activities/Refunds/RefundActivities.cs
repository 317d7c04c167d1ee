using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Payments.Activities.Bank;
using Payments.Activities.Database;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Refunds;

/// <summary>A refund asked of the bank under an idempotent refund id: a suspended payment's, or a late debit's.</summary>
public sealed record RefundRequest(string PaymentId, string RefundId, string? BankTxnId, long Amount, string Currency);

public sealed record RefundReceipt(string RefundId, int HttpStatus);

/// <summary>
/// One signed HTTP call to <c>Payments:Bank:RefundUrl</c> per attempt. The bank deduplicates on <c>refundId</c>, so a
/// retried attempt is harmless: 2xx or 409 is accepted, another 4xx is a non-retryable <c>RefundRejected</c>, 5xx and
/// network failures are thrown for Temporal to retry.
/// </summary>
public sealed class RefundActivities(
    IHttpClientFactory httpClientFactory,
    NpgsqlDataSource dataSource,
    IOptions<BankOptions> options,
    IOptions<BankSecretOptions> secret,
    TimeProvider clock,
    ILogger<RefundActivities> logger)
{
    public const string HttpClientName = "bank-refund";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Activity]
    public async Task<RefundReceipt> RequestRefundAsync(RefundRequest request)
    {
        var cancellationToken = ActivityCancellation.Token;
        var refundUrl = options.Value.RefundUrl
            ?? throw ParticipantErrors.Refusal(ParticipantErrors.RefundRejected, "Payments:Bank:RefundUrl is not configured.");
        await RecordRequestAsync(request, cancellationToken);

        var body = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        using var message = new HttpRequestMessage(HttpMethod.Post, refundUrl) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        BankRequests.Sign(message, secret.Value.BankSecret!, clock.GetUtcNow(), body);
        using var client = httpClientFactory.CreateClient(HttpClientName);
        using var response = await client.SendAsync(message, cancellationToken);
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict)
        {
            await RecordAcceptedAsync(request.RefundId, status, cancellationToken);
            logger.LogInformation("Refund {RefundId} of payment {PaymentId} accepted by the bank ({HttpStatus})", request.RefundId, request.PaymentId, status);
            return new RefundReceipt(request.RefundId, status);
        }
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        logger.LogWarning("Refund {RefundId} of payment {PaymentId} answered {HttpStatus}: {Answer}", request.RefundId, request.PaymentId, status, answer);
        if (status is >= 400 and < 500)
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.RefundRejected, $"The bank refused refund {request.RefundId}: HTTP {status} {answer}");
        }
        throw new HttpRequestException($"The bank answered refund {request.RefundId} with HTTP {status}.", null, response.StatusCode);
    }

    private async Task RecordRequestAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO refunds.refunds (refund_id, payment_id, amount, currency) VALUES (@refund, @payment, @amount, @currency)
            ON CONFLICT (refund_id) DO NOTHING
            """);
        command.Parameters.With("refund", request.RefundId).With("payment", request.PaymentId).With("amount", request.Amount)
            .With("currency", request.Currency);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RecordAcceptedAsync(string refundId, int httpStatus, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE refunds.refunds SET http_status = @status, accepted_at = coalesce(accepted_at, now()) WHERE refund_id = @refund");
        command.Parameters.With("refund", refundId).WithNullable("status", httpStatus, NpgsqlDbType.Integer);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
