using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Payments.Harness;

namespace Payments.Chaos;

/// <summary>
/// The bank's refund endpoint (<c>Payments:Bank:RefundUrl</c>) on loopback: refuses (422) the first refund of the
/// payments it is told to, accepts every other one (200), idempotently.
/// </summary>
internal sealed class LoopbackBank : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte> _refuseOnce = new();

    private LoopbackBank(WebApplication app, Uri refundUrl)
    {
        _app = app;
        RefundUrl = refundUrl;
    }

    public Uri RefundUrl { get; }

    public ConcurrentDictionary<string, int> Refunded { get; } = new();

    public ConcurrentDictionary<string, int> Refused { get; } = new();

    public static async Task<LoopbackBank> StartAsync()
    {
        var (app, address) = LoopbackPort.NewHost();
        var bank = new LoopbackBank(app, new Uri(address, "/refunds"));
        app.MapPost("/refunds", (Delegate)bank.RefundAsync);
        await app.StartAsync();
        return bank;
    }

    /// <summary>The next refund of this payment is refused; the ones after it are accepted.</summary>
    public void RefuseFirstRefundOf(string paymentId) => _refuseOnce[paymentId] = 0;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> RefundAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var paymentId = body.RootElement.GetProperty("paymentId").GetString()!;
        if (_refuseOnce.TryRemove(paymentId, out _))
        {
            Refused.AddOrUpdate(paymentId, 1, (_, count) => count + 1);
            return Results.Problem(statusCode: 422, detail: "Refused by the chaos run's bank: the card account is closed.");
        }
        Refunded.AddOrUpdate(paymentId, 1, (_, count) => count + 1);
        return Results.Ok(new { result = "accepted" });
    }
}
