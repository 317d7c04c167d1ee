using Microsoft.Extensions.Configuration;
using Serilog;

namespace Payments.Workers.Logging;

/// <summary>The Serilog setup of every payments process: configuration, log context, payment and workflow ids on each line.</summary>
public static class PaymentsLogging
{
    public const string OutputTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext} {PaymentId} {WorkflowId} {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration ConfigurePayments(this LoggerConfiguration logger, IConfiguration configuration) => logger
        .ReadFrom.Configuration(configuration)
        .Enrich.FromLogContext()
        .Enrich.With<PaymentIdEnricher>()
        .WriteTo.Console(outputTemplate: OutputTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
}
