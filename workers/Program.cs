using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payments.Activities;
using Payments.Workers;
using Payments.Workers.Logging;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console().CreateBootstrapLogger();
try
{
    var builder = Host.CreateApplicationBuilder(args);
    // The worker signs refund requests with the bank secret: the well-known development one must never sign elsewhere.
    const string BankSecretKey = "Payments:BankSecret";
    if (string.IsNullOrWhiteSpace(builder.Configuration[BankSecretKey]))
    {
        builder.Configuration[BankSecretKey] = builder.Environment.IsDevelopment()
            ? ParticipantOptions.DevelopmentBankSecret
            : throw new InvalidOperationException($"{BankSecretKey} must be configured outside Development (environment variable Payments__BankSecret).");
    }
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
