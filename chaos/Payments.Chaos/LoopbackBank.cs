using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Payments.Domain;
using Payments.Harness;

namespace Payments.Chaos;

/// <summary>One debit the bank made: what its status query answers for the payment.</summary>
internal sealed record BankDebit(string PaymentId, string BankTxnId, long Amount, DateTimeOffset PaidAt);

/// <summary>
/// The bank on loopback, both URLs the platform calls: the status query (<c>Payments:Bank:QueryUrl</c>: a payment's debit,
/// or 404) and refunds (<c>Payments:Bank:RefundUrl</c>: refuses (422) the first refund of the payments it is told to,
/// accepts every other one, idempotently on its refund id). Every request must carry the platform's bank signature.
/// </summary>
internal sealed class LoopbackBank : IAsyncDisposable
{
    private static readonly TimeSpan SignatureWindow = TimeSpan.FromSeconds(300);
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, BankDebit> _debits = new();
    private readonly ConcurrentDictionary<string, byte> _refuseOnce = new();
    private int _unsigned;

    private LoopbackBank(WebApplication app, Uri address)
    {
        _app = app;
        RefundUrl = new Uri(address, "/refunds");
        QueryUrl = new Uri(address, "/transactions");
    }

    public Uri RefundUrl { get; }

    public Uri QueryUrl { get; }

    /// <summary>Accepted refunds by refund id: the payment they return and how often they were asked (repeats are idempotent).</summary>
    public ConcurrentDictionary<string, (string PaymentId, int Requests)> Refunds { get; } = new();

    public ConcurrentDictionary<string, int> Refused { get; } = new();

    /// <summary>Status queries answered, by payment.</summary>
    public ConcurrentDictionary<string, int> Queries { get; } = new();

    /// <summary>Requests refused for a missing, stale or wrong signature.</summary>
    public int Unsigned => _unsigned;

    public static async Task<LoopbackBank> StartAsync()
    {
        var (app, address) = LoopbackPort.NewHost();
        var bank = new LoopbackBank(app, address);
        app.MapPost("/refunds", (Delegate)bank.RefundAsync);
        app.MapGet("/transactions/{paymentId}", (Delegate)bank.Query);
        await app.StartAsync();
        return bank;
    }

    /// <summary>The shopper paid: the bank holds the debit from now on (the callback is the caller's to send, or not).</summary>
    public BankDebit Debit(string paymentId, string bankTxnId, long amount) =>
        _debits.GetOrAdd(paymentId, _ => new BankDebit(paymentId, bankTxnId, amount, DateTimeOffset.UtcNow));

    public BankDebit? DebitOf(string paymentId) => _debits.GetValueOrDefault(paymentId);

    /// <summary>The next refund of this payment is refused; the ones after it are accepted.</summary>
    public void RefuseFirstRefundOf(string paymentId) => _refuseOnce[paymentId] = 0;

    public IReadOnlyList<string> RefundIdsOf(string paymentId) => [.. Refunds.Where(r => r.Value.PaymentId == paymentId).Select(r => r.Key)];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private IResult Query(string paymentId, HttpContext context)
    {
        if (!Signed(context, Encoding.UTF8.GetBytes(context.Request.Path.ToUriComponent())))
        {
            return Results.Unauthorized();
        }
        Queries.AddOrUpdate(paymentId, 1, (_, count) => count + 1);
        return _debits.TryGetValue(paymentId, out var debit)
            ? Results.Ok(new { paymentId, status = "DEBITED", bankTxnId = debit.BankTxnId, amount = debit.Amount, currency = "CNY", paidAt = debit.PaidAt })
            : Results.NotFound();
    }

    private async Task<IResult> RefundAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (!Signed(context, buffer.ToArray()))
        {
            return Results.Unauthorized();
        }
        using var body = JsonDocument.Parse(buffer.ToArray());
        var paymentId = body.RootElement.GetProperty("paymentId").GetString()!;
        var refundId = body.RootElement.GetProperty("refundId").GetString()!;
        if (_refuseOnce.TryRemove(paymentId, out _))
        {
            Refused.AddOrUpdate(paymentId, 1, (_, count) => count + 1);
            return Results.Problem(statusCode: 422, detail: "Refused by the chaos run's bank: the card account is closed.");
        }
        Refunds.AddOrUpdate(refundId, (paymentId, 1), (_, refund) => (refund.PaymentId, refund.Requests + 1));
        return Results.Ok(new { result = "accepted" });
    }

    private bool Signed(HttpContext context, byte[] message)
    {
        var signed = long.TryParse(context.Request.Headers[BankHeaders.Timestamp], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            && (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() <= SignatureWindow
            && Signatures.Verify(PlatformClient.BankSecret, timestamp, message, context.Request.Headers[BankHeaders.Signature]);
        if (!signed)
        {
            Interlocked.Increment(ref _unsigned);
        }
        return signed;
    }
}
