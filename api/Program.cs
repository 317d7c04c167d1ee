using Payments.Api.Embedded;
using Payments.Api.Health;
using Payments.Api.Security;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
    {
        builder.WebHost.UseUrls("http://127.0.0.1:5080");
    }
    builder.Services.AddSerilog((services, logger) => logger
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .WriteTo.Console());

    builder.Services.AddSingleton(PlatformCredentials.From(builder.Configuration, builder.Environment));
    await using var embedded = await EmbeddedPlatform.StartAsync(builder.Configuration, Log.Logger);

    builder.Services.AddHealthChecks()
        .AddNpgSql(builder.Configuration[EmbeddedPlatform.ConnectionStringKey]!, name: "postgresql", tags: [HealthEndpoints.ReadyTag]);

    var app = builder.Build();
    app.MapHealthEndpoints();
    await app.RunAsync();
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "The payments API stopped on an error");
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}
