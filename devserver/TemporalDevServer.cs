using System.Net;
using Grpc.AspNetCore.Server.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Engine;
using Payments.DevServer.Hosting;
using Payments.DevServer.Http;
using Payments.DevServer.Schedules;
using Payments.DevServer.Storage;
using Payments.DevServer.WebUi;

namespace Payments.DevServer;

/// <summary>A Temporal-compatible server in this process: <c>await using var server = await TemporalDevServer.StartAsync(options)</c>.</summary>
public sealed class TemporalDevServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TemporalDevServer(WebApplication app, string target, string? uiAddress)
    {
        _app = app;
        Target = target;
        UiAddress = uiAddress;
    }

    /// <summary>"ip:port" for <c>TemporalClient.ConnectAsync</c>.</summary>
    public string Target { get; }

    /// <summary>Base address of the Web UI and its HTTP/JSON API (e.g. http://127.0.0.1:8233), when a UI port was asked for.</summary>
    public string? UiAddress { get; }

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
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(options.Ip), options.Port, listen => listen.Protocols = HttpProtocols.Http2);
            if (options.UiPort is { } uiPort)
            {
                kestrel.Listen(IPAddress.Parse(options.Ip), uiPort, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            }
            kestrel.Limits.Http2.MaxStreamsPerConnection = 10_000;
        });
        builder.Services.AddGrpc(grpc =>
        {
            // Temporal's frontend refuses messages over 4 MiB; what it sends (histories) is not capped.
            grpc.MaxReceiveMessageSize = 4 * 1024 * 1024;
            grpc.MaxSendMessageSize = null;
        });
        // grpc.health.v1.Health, as Temporal's frontend serves it: the SDK's CheckHealthAsync asks for the workflow service.
        builder.Services.AddGrpcHealthChecks(health => health.Services.Map(TemporalServiceMethodProvider.Services[0].FullName, _ => true))
            .AddCheck("engine", () => HealthCheckResult.Healthy()); // the in-process engine has nothing to lose contact with: it serves while the process does
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<TemporalGrpcService>, TemporalServiceMethodProvider>());
        builder.Services.AddSingleton<TemporalGrpcService>();
        if (options.DatabaseFile is { } file)
        {
            builder.Services.AddSingleton<IEngineStore>(sp => SqliteEngineStore.Open(file, sp.GetRequiredService<ILogger<SqliteEngineStore>>()));
        }
        builder.Services.AddSingleton(sp =>
        {
            var logger = sp.GetRequiredService<ILogger<TemporalEngine>>();
            return new TemporalEngine(options.TimeSkipping, sp.GetService<IEngineStore>(), DynamicConfig.Parse(options.DynamicConfigValues, logger), logger);
        });
        builder.Services.AddSingleton(sp => new ScheduleRegistry(sp.GetService<IEngineStore>()));
        builder.Services.AddSingleton<ScheduleService>();
        builder.Services.AddSingleton(sp =>
        {
            var dispatcher = new RpcDispatcher(sp.GetRequiredService<ILogger<RpcDispatcher>>());
            TemporalHandlers.Register(dispatcher, sp.GetRequiredService<TemporalEngine>());
            ScheduleHandlers.Register(dispatcher, sp.GetRequiredService<ScheduleService>());
            return dispatcher;
        });

        var app = builder.Build();
        try
        {
            var engine = app.Services.GetRequiredService<TemporalEngine>();
            app.Lifetime.ApplicationStopping.Register(engine.Stop);
            engine.AddNamespace("default");
            engine.AddNamespace(options.Namespace);
            engine.Store?.Restore(engine);
            await app.Services.GetRequiredService<ScheduleService>().RestoreAsync();
            foreach (var ns in engine.Namespaces)
            {
                foreach (var (name, type) in options.SearchAttributes.Where(attribute => !ns.SearchAttributes.Custom.ContainsKey(attribute.Key)))
                {
                    ns.SearchAttributes.Register(name, type);
                }
                await engine.PersistNamespaceAsync(ns);
            }
            var dispatcher = app.Services.GetRequiredService<RpcDispatcher>();
            app.MapGrpcService<TemporalGrpcService>();
            app.MapGrpcHealthChecksService();
            new TemporalHttpApi(dispatcher.DispatchAsync, new TemporalUiSettings(options.Namespace)).Map(app);
            if (options.UiPort is not null)
            {
                TemporalWebUi.Map(app, options.UiFolder);
            }
            await StartListeningAsync(app, options);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address)).ToList();
            var ui = options.UiPort is null ? null : addresses[1].GetLeftPart(UriPartial.Authority);
            return new TemporalDevServer(app, $"{options.Ip}:{addresses[0].Port}", ui);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static async Task StartListeningAsync(WebApplication app, TemporalDevServerOptions options)
    {
        try
        {
            await app.StartAsync();
        }
        catch (IOException error) when (error.InnerException is AddressInUseException)
        {
            // Kestrel names the address it could not bind; say which of our two ports that was.
            var uiTaken = options.UiPort is { } uiPort && error.Message.Contains($":{uiPort}", StringComparison.Ordinal);
            throw new PortInUseException(uiTaken ? nameof(options.UiPort) : nameof(options.Port), uiTaken ? options.UiPort!.Value : options.Port, error);
        }
    }

    /// <summary>Runs until the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
