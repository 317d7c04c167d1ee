using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog;
using Serilog.Extensions.Hosting;

namespace Payments.Workers.Logging;

/// <summary>
/// The one Serilog set-up of both hosts (API and worker): configuration (<c>Serilog</c> section: levels, extra sinks),
/// log context and logging scopes, the payment id on every line about a payment (<see cref="PaymentIdEnricher"/>).
/// </summary>
public static class PaymentsLogging
{
    public const string OutputTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext} {PaymentId} {WorkflowId} {Message:lj}{NewLine}{Exception}";

    /// <summary>Logs what happens before the host is built (the embedded mode's start, a start-up error) to the console.</summary>
    public static ReloadableLogger BootstrapLogger() =>
        new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();

    public static IServiceCollection AddPaymentsLogging(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSerilog((provider, logger) => logger
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(provider)
            .Enrich.FromLogContext()
            .Enrich.With<PaymentIdEnricher>()
            .WriteTo.Console(outputTemplate: OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture));
}
