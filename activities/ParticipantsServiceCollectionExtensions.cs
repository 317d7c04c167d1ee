using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Activities.Accounting;
using Payments.Activities.Bank;
using Payments.Activities.Database;
using Payments.Activities.Funds;
using Payments.Activities.Merchants;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Reconciliation;
using Payments.Activities.Refunds;

namespace Payments.Activities;

public static class ParticipantsServiceCollectionExtensions
{
    private const int DefaultIdleLifetimeSeconds = 300;

    /// <summary>The activity classes, for the worker to register with Temporal.</summary>
    public static readonly IReadOnlyList<Type> ActivityTypes =
    [
        typeof(OrderActivities),
        typeof(FundAccountActivities),
        typeof(PointsActivities),
        typeof(AccountingActivities),
        typeof(NotificationActivities),
        typeof(RefundActivities),
        typeof(BankQueryActivities),
        typeof(ReconciliationActivities),
    ];

    /// <summary>
    /// The participants: the data source (<c>ConnectionStrings:Payments</c>), migrations at start-up, the stores the API
    /// calls, the activity classes (singletons) and their HTTP clients.
    /// </summary>
    public static IServiceCollection AddPaymentParticipants(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ParticipantOptions>()
            .Bind(configuration.GetSection(ParticipantOptions.Section))
            .Configure(options => options.ConnectionString ??= configuration.GetConnectionString(ParticipantOptions.ConnectionStringName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var builder = new NpgsqlDataSourceBuilder(provider.GetRequiredService<IOptions<ParticipantOptions>>().Value.RequireConnectionString());
            // Statements prepared once per connection instead of planned per call (doubled TCC throughput in the benchmark),
            // unless the connection string says otherwise.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }
            // Idle connections closed after 20 s rather than Npgsql's 300 s, so a burst's backends are gone within 40 s
            // (pruned every 10 s): the chaos run checks it.
            if (builder.ConnectionStringBuilder.ConnectionIdleLifetime == DefaultIdleLifetimeSeconds)
            {
                builder.ConnectionStringBuilder.ConnectionIdleLifetime = 20;
            }
            return builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>()).Build();
        });
        services.AddHostedService<MigrateOnStartup>();

        services.TryAddSingleton<MerchantStore>();
        services.TryAddSingleton<UserStore>();
        services.TryAddSingleton<FundAccountStore>();
        services.TryAddSingleton<PointsAccountStore>();
        services.TryAddSingleton<PaymentOrderStore>();
        services.TryAddSingleton<PaymentQueries>();
        services.TryAddSingleton<VoucherStore>();
        services.TryAddSingleton<NotificationStore>();
        services.TryAddSingleton<LedgerChecks>();
        services.TryAddSingleton<ReconciliationReportStore>();
        foreach (var activityType in ActivityTypes)
        {
            services.TryAddSingleton(activityType);
        }

        services.AddHttpClient(NotificationActivities.HttpClientName, client => client.Timeout = NotificationActivities.Timeout);
        services.AddHttpClient(RefundActivities.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient(BankQueryActivities.HttpClientName, client => client.Timeout = BankQueryActivities.Timeout);
        return services;
    }
}
