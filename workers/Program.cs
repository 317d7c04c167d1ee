using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payments.Workers;
using Payments.Workers.Logging;
using Payments.Workers.Memory;
using Serilog;

Log.Logger = PaymentsLogging.BootstrapLogger();
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddPaymentsLogging(builder.Configuration);
    builder.Services.AddPaymentsOptions(builder.Configuration);
    builder.Services.AddQuietMemoryTrim(builder.Configuration);
    if (builder.Environment.IsDevelopment())
    {
        // `dotnet run --project workers` beside the run command: its embedded Temporal listens there.
        builder.Services.PostConfigure<TemporalOptions>(options => options.Address ??= TemporalOptions.DevelopmentAddress);
    }
    builder.Services.AddPaymentsWorker();
    // Leave the worker its graceful shutdown (Temporal:GracefulShutdownTimeout) before the host gives up.
    builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
    await builder.Build().RunAsync();
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "The payments worker stopped on an error");
    throw;
}
finally
{
    await Log.CloseAndFlushAsync();
}
