using Microsoft.Extensions.Options;
using Payments.Activities.Database;
using Payments.Api;
using Payments.Api.Configuration;
using Payments.Api.Demo;
using Payments.Api.Embedded;
using Payments.Api.Health;
using Payments.Workers;
using Payments.Workers.Logging;
using Payments.Workers.Memory;
using Serilog;

if (args is [DemoCommand.Verb, .. var demoArguments])
{
    Environment.ExitCode = await DemoCommand.RunAsync(demoArguments);
    return;
}

Log.Logger = PaymentsLogging.BootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.WebHost.UseUrls(ApiAddress.Urls(builder.Configuration));
    builder.Services.AddPaymentsLogging(builder.Configuration);
    builder.Services.AddPaymentsOptions(builder.Configuration);
    builder.Services.AddQuietMemoryTrim(builder.Configuration);

    await using var embedded = await EmbeddedPlatform.StartAsync(builder.Configuration, builder.Environment, Log.Logger);
    embedded.Supply(builder.Services);
    if (embedded.RunsTemporal)
    {
        builder.Services.AddPaymentsWorker();
    }
    else
    {
        builder.Services.AddPaymentsTemporalClient();
    }

    builder.Services.AddPaymentsApi(builder.Configuration);
    builder.Services.AddHealthChecks()
        .AddNpgSql(services => DatabaseOptions.Unpooled(services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!), name: "postgresql", tags: [HealthEndpoints.ReadyTag])
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
