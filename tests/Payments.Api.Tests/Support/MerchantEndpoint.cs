using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Payments.Api.Tests.Support;

/// <summary>A merchant's notify URL on a real loopback HTTP listener: records every notification and answers as told.</summary>
public sealed class MerchantEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public MerchantEndpoint()
    {
        var port = FreePort();
        NotifyUrl = $"http://127.0.0.1:{port}/notify";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string NotifyUrl { get; }

    /// <summary>What the merchant answers: 200 "success" (an acknowledgement) unless told otherwise.</summary>
    public (HttpStatusCode Status, string Body) Answer { get; set; } = (HttpStatusCode.OK, "success");

    public ConcurrentQueue<ReceivedNotification> Received { get; } = new();

    public void Dispose()
    {
        _listener.Close();
        _ = _loop.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            Received.Enqueue(new ReceivedNotification(
                body,
                context.Request.Headers["X-Payments-Notify-Id"],
                context.Request.Headers["X-Payments-Timestamp"],
                context.Request.Headers["X-Payments-Signature"]));
            var (status, answer) = Answer;
            context.Response.StatusCode = (int)status;
            var bytes = Encoding.UTF8.GetBytes(answer);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record ReceivedNotification(string Body, string? NotifyId, string? Timestamp, string? Signature);
