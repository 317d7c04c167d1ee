using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Activities.Orders;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Activities.Bank;

public enum BankQueryKind
{
    /// <summary>200: the bank's record of the payment (a debit, or a failed one).</summary>
    Record,

    /// <summary>404: the bank has no record, nothing was debited.</summary>
    NoRecord,

    /// <summary>Anything else (401, 5xx, no answer, an unreadable body): never taken as "no record".</summary>
    Error,
}

/// <summary>What the bank's status query answered; <paramref name="Record"/> reads like a callback with those fields.</summary>
public sealed record BankQueryAnswer(BankQueryKind Kind, BankCallback? Record = null, string? Error = null);

public enum BankTransactionStatus
{
    Debited,
    Failed,
}

/// <summary>The bank's answer body: <c>{ paymentId, status: DEBITED | FAILED, bankTxnId, amount, currency, paidAt }</c>.</summary>
public sealed record BankTransaction(string PaymentId, BankTransactionStatus Status, string BankTxnId, long Amount, string Currency, DateTimeOffset? PaidAt);

/// <summary>
/// <c>GET {Payments:Bank:QueryUrl}/{paymentId}</c>, signed over its path; one call per activity attempt (the workflow's
/// schedule is the retry policy). Every outcome is returned, never thrown, so the workflow can log why it keeps asking.
/// </summary>
public sealed class BankQueryActivities(
    IHttpClientFactory httpClientFactory, IOptions<BankOptions> options, IOptions<BankSecretOptions> secret, TimeProvider clock, ILogger<BankQueryActivities> logger)
{
    public const string HttpClientName = "bank-query";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper, allowIntegerValues: false) },
    };

    [Activity]
    public async Task<BankQueryAnswer> QueryBankAsync(string paymentId)
    {
        if (options.Value.QueryUrl is not { } queryUrl)
        {
            return Answer(paymentId, new BankQueryAnswer(BankQueryKind.Error, Error: "Payments:Bank:QueryUrl is not configured."));
        }
        var url = new Uri($"{queryUrl.ToString().TrimEnd('/')}/{Uri.EscapeDataString(paymentId)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        BankRequests.SignPath(request, secret.Value.BankSecret!, clock.GetUtcNow());
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, ActivityCancellation.Token);
            var body = await response.Content.ReadAsStringAsync(ActivityCancellation.Token);
            return Answer(paymentId, response.StatusCode switch
            {
                HttpStatusCode.OK => Read(paymentId, body),
                HttpStatusCode.NotFound => new BankQueryAnswer(BankQueryKind.NoRecord),
                var status => new BankQueryAnswer(BankQueryKind.Error, Error: $"The bank answered HTTP {(int)status}: {body}"),
            });
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return Answer(paymentId, new BankQueryAnswer(BankQueryKind.Error, Error: $"No answer from the bank: {e.Message}"));
        }
    }

    private static BankQueryAnswer Read(string paymentId, string body)
    {
        try
        {
            var transaction = JsonSerializer.Deserialize<BankTransaction>(body, Json);
            if (transaction is null || transaction.PaymentId != paymentId || !Identifiers.IsValidClientId(transaction.BankTxnId))
            {
                return new BankQueryAnswer(BankQueryKind.Error, Error: $"The bank's record is not about payment {paymentId}: {body}");
            }
            var result = transaction.Status == BankTransactionStatus.Debited ? BankResult.Success : BankResult.Failed;
            return new BankQueryAnswer(
                BankQueryKind.Record,
                new BankCallback(paymentId, transaction.BankTxnId, transaction.Amount, transaction.Currency, result, transaction.PaidAt));
        }
        catch (JsonException e)
        {
            return new BankQueryAnswer(BankQueryKind.Error, Error: $"The bank's record is unreadable: {e.Message}");
        }
    }

    private BankQueryAnswer Answer(string paymentId, BankQueryAnswer answer)
    {
        if (answer.Kind == BankQueryKind.Error)
        {
            logger.LogWarning("Payment {PaymentId}: bank status query failed: {Error}", paymentId, answer.Error);
        }
        else
        {
            logger.LogInformation("Payment {PaymentId}: bank status query answered {Kind} {BankTxnId}", paymentId, answer.Kind, answer.Record?.BankTxnId);
        }
        return answer;
    }
}
