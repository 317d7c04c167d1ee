using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Activities;
using Payments.Workers.Logging;
using Payments.Workflows;
using Temporalio.Extensions.Hosting;
using Temporalio.Runtime;
using Temporalio.Worker;

namespace Payments.Workers;

/// <summary>The one registration of the payments worker, used by the standalone worker and by the API's embedded mode.</summary>
public static class PaymentsWorkerRegistration
{
    /// <summary>
    /// The process's Temporal client (<see cref="TemporalOptions"/>) with the workflows' data converter.
    /// It connects on first use, so a host starts even while Temporal is still coming up.
    /// </summary>
    public static IServiceCollection AddPaymentsTemporalClient(this IServiceCollection services)
    {
        services.AddTemporalClient()
            .Configure<IOptions<TemporalOptions>, ILoggerFactory>((options, settings, loggers) =>
            {
                options.TargetHost = settings.Value.Address;
                options.Namespace = settings.Value.Namespace;
                options.DataConverter = PaymentsTemporal.DataConverter;
                // The SDK core logs through Serilog too: left to write to the console itself, it cut into the JSON lines.
                options.Runtime = new TemporalRuntime(new TemporalRuntimeOptions
                {
                    Telemetry = new TelemetryOptions
                    {
                        Logging = new LoggingOptions { Forwarding = new LogForwardingOptions { Logger = loggers.CreateLogger("Temporalio.Core") } },
                    },
                });
            });
        return services;
    }

    /// <summary>
    /// The participants (database, migrations at start, activities), the Temporal client and a hosted worker on the
    /// <c>payments</c> task queue running the workflows. Settings: <see cref="PaymentsConfiguration.AddPaymentsOptions"/>.
    /// </summary>
    public static IServiceCollection AddPaymentsWorker(this IServiceCollection services)
    {
        services.AddPaymentParticipants();
        services.AddPaymentsTemporalClient();

        var worker = services.AddHostedTemporalWorker(PaymentsTemporal.TaskQueue)
            .AddWorkflow<PaymentCompletionWorkflow>()
            .AddWorkflow<MerchantNotificationWorkflow>()
            .AddWorkflow<LateDebitRefundWorkflow>()
            .AddWorkflow<LedgerReconciliationWorkflow>()
            .AddScopedActivities<NotificationSettingsActivities>()
            .AddScopedActivities<CompletionStartActivities>();
        foreach (var activities in ParticipantsServiceCollectionExtensions.ActivityTypes)
        {
            worker.AddScopedActivities(activities);
        }
        worker.ConfigureOptions()
            .Configure<IOptions<TemporalOptions>>((options, settings) =>
            {
                options.MaxConcurrentActivities = settings.Value.MaxConcurrentActivities;
                options.MaxConcurrentWorkflowTasks = settings.Value.MaxConcurrentWorkflowTasks;
                options.GracefulShutdownTimeout = settings.Value.GracefulShutdownTimeout;
                // Answers the __stack_trace query: the Temporal UI's "Call Stack" of a waiting payment.
                options.WorkflowStackTrace = WorkflowStackTrace.Normal;
                options.Interceptors = [new PaymentLogScope()];
            });
        services.AddHostedService<ReconciliationSchedule>();
        return services;
    }
}
