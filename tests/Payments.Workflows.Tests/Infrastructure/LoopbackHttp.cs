using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>A notification the merchant endpoint received.</summary>
internal sealed record ReceivedNotification(string NotifyId, string Status, string PaymentId);

/// <summary>
/// The outside world over real HTTP on loopback: each test merchant's notify endpoint (answering as the test says,
/// attempt by attempt) and the bank's refund endpoint.
/// </summary>
internal sealed class LoopbackHttp : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<int, (int Status, string Body)>> _answers = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedNotification>> _notifications = new();
    private readonly ConcurrentQueue<string> _refundIds = new();
    private int _refundsToRefuse;

    private LoopbackHttp(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public Uri RefundUrl => new(BaseAddress, "bank/refunds");

    public IEnumerable<string> RefundIds => _refundIds;

    /// <summary>The bank refuses the next refund request with 422 (a final answer).</summary>
    public void RefuseNextRefund() => Interlocked.Increment(ref _refundsToRefuse);

    public static async Task<LoopbackHttp> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var loopback = new LoopbackHttp(builder.Build());
        loopback._app.MapPost("/merchants/{key}/notify", loopback.NotifyAsync);
        loopback._app.MapPost("/bank/refunds", loopback.RefundAsync);
        await loopback._app.StartAsync();
        loopback.BaseAddress = new Uri(loopback._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return loopback;
    }

    /// <summary>A notify URL for one test merchant; <paramref name="answer"/> gets the attempt number (1, 2, …).</summary>
    public Uri MerchantEndpoint(string key, Func<int, (int Status, string Body)> answer)
    {
        _answers[key] = answer;
        return MerchantEndpointOf(key);
    }

    public Uri MerchantEndpointOf(string key) => new(BaseAddress, $"merchants/{key}/notify");

    public IReadOnlyList<ReceivedNotification> NotificationsFor(string key) =>
        _notifications.TryGetValue(key, out var received) ? received.ToArray() : [];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> NotifyAsync(string key, HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        var received = _notifications.GetOrAdd(key, _ => new ConcurrentQueue<ReceivedNotification>());
        received.Enqueue(new ReceivedNotification(
            request.Headers["X-Payments-Notify-Id"].ToString(),
            body.RootElement.GetProperty("status").GetString()!,
            body.RootElement.GetProperty("paymentId").GetString()!));
        var (status, text) = _answers.TryGetValue(key, out var answer) ? answer(received.Count) : (200, "success");
        return Results.Text(text, statusCode: status);
    }

    private async Task<IResult> RefundAsync(HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body);
        if (Interlocked.Decrement(ref _refundsToRefuse) >= 0)
        {
            return Results.Problem("account closed", statusCode: StatusCodes.Status422UnprocessableEntity);
        }
        Interlocked.Exchange(ref _refundsToRefuse, 0);
        _refundIds.Enqueue(body.RootElement.GetProperty("refundId").GetString()!);
        return Results.Ok(new { result = "accepted" });
    }
}
