using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Payments.Domain;
using Payments.Harness;

namespace Payments.Demo;

/// <summary>One notification as the merchant received it, and whether its signature held.</summary>
public sealed record MerchantReceipt(string PaymentId, string Status, bool SignatureVerified);

/// <summary>
/// The demo merchant's notify endpoint on loopback: it checks each notification's signature with its notify secret, as
/// a merchant must, and acknowledges with <c>success</c> only what it could verify.
/// </summary>
public sealed class DemoMerchant : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<MerchantReceipt> _receipts = new();
    private string? _notifySecret;

    private DemoMerchant(WebApplication app, Uri baseAddress)
    {
        _app = app;
        NotifyUrl = new Uri(baseAddress, "/notify").ToString();
    }

    public string NotifyUrl { get; }

    public IReadOnlyCollection<MerchantReceipt> Receipts => _receipts;

    /// <summary>Told of every notification as it arrives.</summary>
    public event Action<MerchantReceipt>? Received;

    public static async Task<DemoMerchant> StartAsync()
    {
        var (app, address) = LoopbackPort.NewHost();
        var merchant = new DemoMerchant(app, address);
        app.MapPost("/notify", merchant.AnswerAsync);
        await app.StartAsync();
        return merchant;
    }

    /// <summary>The secret the platform returned once, at the merchant's creation.</summary>
    public void Trust(string notifySecret) => _notifySecret = notifySecret;

    public bool WasNotified(string paymentId, string status) =>
        _receipts.Any(r => r.PaymentId == paymentId && r.Status == status && r.SignatureVerified);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> AnswerAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.ToArray();
        var verified = _notifySecret is { } secret
            && long.TryParse(request.Headers[NotificationHeaders.Timestamp], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            && Signatures.Verify(secret, timestamp, body, request.Headers[NotificationHeaders.Signature]);
        using var notification = JsonDocument.Parse(body);
        var receipt = new MerchantReceipt(
            notification.RootElement.GetProperty("paymentId").GetString()!,
            notification.RootElement.GetProperty("status").GetString()!,
            verified);
        _receipts.Enqueue(receipt);
        Received?.Invoke(receipt);
        return verified ? Results.Text("success") : Results.Unauthorized();
    }
}
