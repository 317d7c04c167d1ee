using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Payments.Harness;

/// <summary>How a merchant's notify endpoint answers.</summary>
public enum MerchantBehaviour
{
    /// <summary>200 <c>success</c> at once.</summary>
    Acknowledges,

    /// <summary>At random: 500, no answer until the platform's timeout, a slow <c>success</c>, or <c>success</c>.</summary>
    Unreliable,

    /// <summary>Always 500: the notification is given up after the schedule.</summary>
    Failing,
}

/// <summary>One notification as the merchant received it (the payment's status it announced), with the receipt's time on this machine's clock.</summary>
public sealed record MerchantReceipt(string PaymentId, string Status, DateTimeOffset At, bool Acknowledged);

/// <summary>Merchants' notify endpoints on one loopback Kestrel: <c>/{behaviour}/notify</c>; every request recorded before it is answered.</summary>
public sealed class LoopbackMerchant : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<MerchantReceipt>> _receipts = new();

    private LoopbackMerchant(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>How long an <see cref="MerchantBehaviour.Unreliable"/> merchant hangs (past the platform's 10 s timeout) or dawdles.</summary>
    public TimeSpan Hang { get; init; } = TimeSpan.FromSeconds(12);

    public TimeSpan Slow { get; init; } = TimeSpan.FromSeconds(3);

    public static async Task<LoopbackMerchant> StartAsync()
    {
        var (app, address) = LoopbackPort.NewHost();
        var merchant = new LoopbackMerchant(app, address);
        app.MapPost("/{behaviour}/notify", (string behaviour, HttpContext context) => merchant.AnswerAsync(Enum.Parse<MerchantBehaviour>(behaviour, ignoreCase: true), context));
        await app.StartAsync();
        return merchant;
    }

    public string NotifyUrl(MerchantBehaviour behaviour) => new Uri(BaseAddress, $"/{behaviour.ToString().ToLowerInvariant()}/notify").ToString();

    /// <summary>Every notification received for a payment, in order.</summary>
    public IReadOnlyList<MerchantReceipt> ReceiptsOf(string paymentId) =>
        _receipts.TryGetValue(paymentId, out var receipts) ? [.. receipts] : [];

    public int PaymentsNotified => _receipts.Count;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task AnswerAsync(MerchantBehaviour behaviour, HttpContext context)
    {
        var at = DateTimeOffset.UtcNow;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var paymentId = body.RootElement.GetProperty("paymentId").GetString()!;
        var status = body.RootElement.GetProperty("status").GetString()!;
        var answer = behaviour switch
        {
            MerchantBehaviour.Acknowledges => Answer.Success,
            MerchantBehaviour.Failing => Answer.Error,
            _ => (Answer)Random.Shared.Next(4),
        };
        _receipts.GetOrAdd(paymentId, _ => new()).Enqueue(new MerchantReceipt(paymentId, status, at, answer is Answer.Success or Answer.Slow));
        switch (answer)
        {
            case Answer.Error:
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("try later", context.RequestAborted);
                return;
            case Answer.Hang when !await WaitedAsync(Hang, context.RequestAborted):
            case Answer.Slow when !await WaitedAsync(Slow, context.RequestAborted):
                return;
        }
        await context.Response.WriteAsync("success", context.RequestAborted);
    }

    /// <summary>False when the platform hung up first (its timeout, or the process was killed).</summary>
    private static async Task<bool> WaitedAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private enum Answer
    {
        Success,
        Error,
        Hang,
        Slow,
    }
}
