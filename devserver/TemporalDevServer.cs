using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Engine;
using Payments.DevServer.Hosting;
using Payments.DevServer.Http;
using Payments.DevServer.Storage;

namespace Payments.DevServer;

/// <summary>A Temporal-compatible server in this process: <c>await using var server = await TemporalDevServer.StartAsync(options)</c>.</summary>
public sealed class TemporalDevServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TemporalEngine _engine;

    private TemporalDevServer(WebApplication app, TemporalEngine engine, string target, string? httpAddress)
    {
        _app = app;
        _engine = engine;
        Target = target;
        HttpAddress = httpAddress;
    }

    /// <summary>"ip:port" for <c>TemporalClient.ConnectAsync</c>.</summary>
    public string Target { get; }

    /// <summary>Base address of the HTTP/JSON API (e.g. http://127.0.0.1:8233), when one was asked for.</summary>
    public string? HttpAddress { get; }

    /// <summary>The transport-agnostic entry (method name + request → response), for other front ends such as HTTP/JSON.</summary>
    public RpcDispatcher Dispatcher => _app.Services.GetRequiredService<RpcDispatcher>();

    /// <summary>The launcher next to this assembly (the apphost), for <c>DevServerOptions.ExistingPath</c> / <c>TestServerOptions.ExistingPath</c>.</summary>
    public static string ExecutablePath
    {
        get
        {
            var directory = AppContext.BaseDirectory;
            var apphost = Path.Combine(directory, OperatingSystem.IsWindows() ? "Payments.DevServer.exe" : "Payments.DevServer");
            return File.Exists(apphost) ? apphost : throw new FileNotFoundException("The Payments.DevServer apphost is not next to this assembly", apphost);
        }
    }

    public static async Task<TemporalDevServer> StartAsync(TemporalDevServerOptions options, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is not null)
        {
            logging(builder.Logging);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Ip), options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            if (options.HttpPort is { } httpPort)
            {
                kestrel.Listen(IPAddress.Parse(options.Ip), httpPort, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            }
            kestrel.Limits.Http2.MaxStreamsPerConnection = 10_000;
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = 128 * 1024 * 1024;
            grpc.MaxSendMessageSize = 128 * 1024 * 1024;
            grpc.EnableDetailedErrors = true;
        });
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<TemporalGrpcService>, TemporalServiceMethodProvider>());
        builder.Services.AddSingleton<TemporalGrpcService>();

        var loggerFactory = LoggerFactory.Create(l => logging?.Invoke(l));
        var store = options.DatabaseFile is null ? null : SqliteEngineStore.Open(options.DatabaseFile, loggerFactory.CreateLogger<SqliteEngineStore>());
        var engine = new TemporalEngine(options.TimeSkipping, store, loggerFactory.CreateLogger<TemporalEngine>());
        try
        {
            engine.AddNamespace("default");
            engine.AddNamespace(options.Namespace);
            if (store is not null)
            {
                store.Restore(engine);
            }
            foreach (var (name, type) in options.SearchAttributes)
            {
                foreach (var ns in engine.Namespaces)
                {
                    ns.SearchAttributes.Register(name, type);
                }
            }
            foreach (var ns in engine.Namespaces)
            {
                await engine.PersistNamespaceAsync(ns);
            }
            var dispatcher = new RpcDispatcher(loggerFactory.CreateLogger<RpcDispatcher>());
            TemporalHandlers.Register(dispatcher, engine);
            builder.Services.AddSingleton(dispatcher);

            var app = builder.Build();
            app.MapGrpcService<TemporalGrpcService>();
            new TemporalHttpApi(dispatcher.DispatchAsync, new TemporalUiSettings(options.Namespace)).Map(app);
            await app.StartAsync();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
            var http = options.HttpPort is null ? null : addresses[1].GetLeftPart(UriPartial.Authority);
            return new TemporalDevServer(app, engine, $"{options.Ip}:{addresses[0].Port}", http);
        }
        catch
        {
            engine.Dispose();
            store?.Dispose();
            throw;
        }
    }

    /// <summary>Runs until the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _engine.Dispose();
        _engine.Store?.Dispose();
    }
}
