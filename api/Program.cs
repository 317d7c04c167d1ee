using Payments.Api;
using Payments.Api.Embedded;
using Payments.Api.Health;
using Payments.Workers;
using Payments.Workers.Logging;
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
        .Enrich.With<PaymentIdEnricher>()
        .WriteTo.Console(outputTemplate: PaymentsLogging.OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture));

    await using var embedded = await EmbeddedPlatform.StartAsync(builder.Configuration, Log.Logger);
    if (embedded.RunsTemporal)
    {
        builder.Services.AddPaymentsWorker(builder.Configuration);
    }
    else
    {
        builder.Services.AddPaymentsTemporalClient(builder.Configuration);
    }

    builder.Services.AddPaymentsApi(builder.Configuration, builder.Environment);
    builder.Services.AddHealthChecks()
        .AddNpgSql(builder.Configuration[EmbeddedPlatform.ConnectionStringKey]!, name: "postgresql", tags: [HealthEndpoints.ReadyTag])
        .AddCheck<TemporalHealthCheck>("temporal", tags: [HealthEndpoints.ReadyTag]);

    var app = builder.Build();
    app.MapPaymentsApi();
    app.MapHealthEndpoints();
    StartupBanner.Register(app, embedded);
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
