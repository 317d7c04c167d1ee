using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Payments.Domain;
using Payments.Tests.Fixtures;

namespace Payments.Api.Tests.Support;

/// <summary>A merchant's notify URL on the loopback server: records every notification and answers as told.</summary>
public sealed class MerchantEndpoint : IDisposable
{
    private readonly LoopbackServer _server;

    public MerchantEndpoint()
    {
        _server = LoopbackServer.Start(async context =>
        {
            var (status, answer) = Answer;
            await Held;
            context.Response.StatusCode = (int)status;
            await context.Response.WriteAsync(answer);
        });
        NotifyUrl = _server.Url("/notify").ToString();
    }

    public string NotifyUrl { get; }

    /// <summary>What the merchant answers: 200 "success" (an acknowledgement) unless told otherwise.</summary>
    public (HttpStatusCode Status, string Body) Answer { get; set; } = (HttpStatusCode.OK, "success");

    /// <summary>Each notification waits for this before its answer (taken when it arrived): a merchant slow to answer.</summary>
    public Task Held { get; set; } = Task.CompletedTask;

    public IReadOnlyList<ReceivedNotification> Received =>
    [
        .. _server.Received.Select(request => new ReceivedNotification(
            Encoding.UTF8.GetString(request.Body),
            request.Headers.GetValueOrDefault(NotificationHeaders.NotifyId),
            request.Headers.GetValueOrDefault(NotificationHeaders.Timestamp),
            request.Headers.GetValueOrDefault(NotificationHeaders.Signature))),
    ];

    public void Dispose() => _server.Dispose();
}

public sealed record ReceivedNotification(string Body, string? NotifyId, string? Timestamp, string? Signature);
