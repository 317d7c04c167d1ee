using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Payments.Domain;
using Payments.Tests.Fixtures;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>A notification the merchant endpoint received.</summary>
internal sealed record ReceivedNotification(string NotifyId, string Status, string PaymentId);

/// <summary>
/// The outside world on the one loopback server (<see cref="LoopbackServer"/>): each test merchant's notify endpoint
/// (answering as the test says, attempt by attempt) and the bank's refund endpoint.
/// </summary>
internal sealed class LoopbackHttp : IAsyncDisposable
{
    private const string MerchantsPath = "/merchants/";
    private const string RefundsPath = "/bank/refunds";

    private readonly Dictionary<string, Func<int, (int Status, string Body)>> _answers = [];
    private readonly ConcurrentQueue<string> _acceptedRefunds = new();
    private readonly LoopbackServer _server;
    private int _refundsToRefuse;

    private LoopbackHttp() => _server = LoopbackServer.Start(AnswerAsync);

    public Uri RefundUrl => _server.Url(RefundsPath);

    /// <summary>The refund ids the bank accepted, in order.</summary>
    public IEnumerable<string> RefundIds => _acceptedRefunds;

    /// <summary>The bank refuses the next refund request with 422 (a final answer).</summary>
    public void RefuseNextRefund() => Interlocked.Increment(ref _refundsToRefuse);

    public static LoopbackHttp Start() => new();

    /// <summary>A notify URL for one test merchant; <paramref name="answer"/> gets the attempt number (1, 2, …).</summary>
    public Uri MerchantEndpoint(string key, Func<int, (int Status, string Body)> answer)
    {
        lock (_answers)
        {
            _answers[key] = answer;
        }
        return MerchantEndpointOf(key);
    }

    public Uri MerchantEndpointOf(string key) => _server.Url($"{MerchantsPath}{key}/notify");

    public IReadOnlyList<ReceivedNotification> NotificationsFor(string key) =>
        _server.Received.Where(request => request.Path == MerchantEndpointOf(key).AbsolutePath).Select(Notification).ToList();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static ReceivedNotification Notification(ReceivedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return new ReceivedNotification(
            request.Headers[NotificationHeaders.NotifyId], body.RootElement.GetProperty("status").GetString()!, body.RootElement.GetProperty("paymentId").GetString()!);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        if (path == RefundsPath)
        {
            await AnswerRefundAsync(context);
            return;
        }
        var key = path[MerchantsPath.Length..path.LastIndexOf('/')];
        Func<int, (int Status, string Body)>? answer;
        lock (_answers)
        {
            _answers.TryGetValue(key, out answer);
        }
        // The server keeps the request before the handler runs: this attempt is counted.
        var (status, text) = answer is null ? (200, "success") : answer(NotificationsFor(key).Count);
        context.Response.StatusCode = status;
        await context.Response.WriteAsync(text);
    }

    private async Task AnswerRefundAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        if (Interlocked.Decrement(ref _refundsToRefuse) >= 0)
        {
            await Results.Problem("account closed", statusCode: StatusCodes.Status422UnprocessableEntity).ExecuteAsync(context);
            return;
        }
        Interlocked.Exchange(ref _refundsToRefuse, 0);
        _acceptedRefunds.Enqueue(body.RootElement.GetProperty("refundId").GetString()!);
        await Results.Ok(new { result = "accepted" }).ExecuteAsync(context);
    }
}
