using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payments.Workers;
using Payments.Workers.Logging;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.Services.AddSerilog((services, logger) => logger.ConfigurePayments(builder.Configuration).ReadFrom.Services(services));
    builder.Services.AddPaymentsWorker(builder.Configuration);
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
