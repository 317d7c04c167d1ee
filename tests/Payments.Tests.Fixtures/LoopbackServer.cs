using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Payments.Tests.Fixtures;

public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// The one stand-in for the outside world (a merchant's notify URL, the bank): a real HTTP server on a free loopback
/// port (Kestrel), answering with the test's handler (which may read the body again) and keeping every request it received,
/// in order.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Listening when it returns: Kestrel binds the port before <c>Start</c> comes back.</summary>
    public static LoopbackServer Start(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new LoopbackServer(builder.Build());
        server._app.Run(async context =>
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            server.Received.Enqueue(new ReceivedRequest(
                context.Request.Path,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            // The handler reads the body again, from the start.
            body.Position = 0;
            context.Request.Body = body;
            context.Response.RegisterForDispose(body);
            await handler(context);
        });
        server._app.Start();
        server.BaseAddress = new Uri(server._app.Urls.Single());
        return server;
    }

    public Uri Url(string path) => new(BaseAddress, path);

    /// <summary>A loopback URL nothing listens on: connecting to it is refused.</summary>
    public static Uri RefusingUrl(string path)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}{path}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public void Dispose() => ((IDisposable)_app).Dispose();
}
