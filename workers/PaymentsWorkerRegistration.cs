using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Payments.Activities;
using Payments.Workflows;
using Temporalio.Extensions.Hosting;
using Temporalio.Worker;

namespace Payments.Workers;

/// <summary>The one registration of the payments worker, used by the standalone worker and by the API's embedded mode.</summary>
public static class PaymentsWorkerRegistration
{
    /// <summary>
    /// The process's Temporal client (<c>Temporal:Address</c>, <c>Temporal:Namespace</c>) with the workflows' data converter.
    /// It connects on first use, so a host starts even while Temporal is still coming up.
    /// </summary>
    public static IServiceCollection AddPaymentsTemporalClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TemporalSettings>()
            .Bind(configuration.GetSection(TemporalSettings.Section))
            .Validate(settings => !string.IsNullOrWhiteSpace(settings.Address), "Temporal:Address is not configured.")
            .ValidateOnStart();
        services.AddTemporalClient()
            .Configure<IOptions<TemporalSettings>>((options, settings) =>
            {
                options.TargetHost = settings.Value.Address;
                options.Namespace = settings.Value.Namespace;
                options.DataConverter = PaymentsTemporal.DataConverter;
            });
        return services;
    }

    /// <summary>
    /// The participants (database, migrations at start, activities), the Temporal client and a hosted worker on the
    /// <c>payments</c> task queue running both workflows.
    /// </summary>
    public static IServiceCollection AddPaymentsWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPaymentParticipants(configuration);
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.Section))
            .Validate(options => TryParse(options.Schedule) && options.AttemptsPerRun > 0, "Payments:Notify:Schedule is not a list of delays like 0s,4m,1h.")
            .ValidateOnStart();
        services.AddPaymentsTemporalClient(configuration);

        var worker = services.AddHostedTemporalWorker(PaymentsTemporal.TaskQueue)
            .AddWorkflow<PaymentCompletionWorkflow>()
            .AddWorkflow<MerchantNotificationWorkflow>()
            .AddScopedActivities<NotificationSettingsActivities>();
        foreach (var activities in ParticipantsServiceCollectionExtensions.ActivityTypes)
        {
            worker.AddScopedActivities(activities);
        }
        worker.ConfigureOptions()
            .Configure<IOptions<TemporalSettings>>((options, settings) =>
            {
                options.MaxConcurrentActivities = settings.Value.MaxConcurrentActivities;
                options.MaxConcurrentWorkflowTasks = settings.Value.MaxConcurrentWorkflowTasks;
                options.GracefulShutdownTimeout = settings.Value.GracefulShutdownTimeout;
                // Answers the __stack_trace query: the Temporal UI's "Call Stack" of a waiting payment.
                options.WorkflowStackTrace = WorkflowStackTrace.Normal;
            });
        return services;
    }

    private static bool TryParse(string schedule)
    {
        try
        {
            NotificationOptions.ParseSchedule(schedule);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
