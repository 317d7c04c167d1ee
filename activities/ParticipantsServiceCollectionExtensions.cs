using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
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
using Payments.Domain;

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
    /// Binds the participants' settings once per host (<c>ConnectionStrings:Payments</c>, <c>Payments:BankSecret</c>,
    /// <c>Payments:Bank</c>, <c>Payments:Orders</c>, <c>Payments:Reconciliation</c>), each checked at start naming its key.
    /// In Development a missing bank secret is <see cref="BankSecretOptions.DevelopmentSecret"/>.
    /// </summary>
    public static IServiceCollection AddParticipantOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.Section))
            .Validate(options => !string.IsNullOrWhiteSpace(options.ConnectionString), RequiredSetting.Missing(DatabaseOptions.Key))
            .ValidateOnStart();
        services.AddOptions<BankSecretOptions>()
            .Bind(configuration.GetSection(BankSecretOptions.Section))
            .Validate(options => !string.IsNullOrWhiteSpace(options.BankSecret), RequiredSetting.Missing(BankSecretOptions.Key))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<BankSecretOptions>, DevelopmentBankSecret>());
        services.AddOptions<BankOptions>()
            .Bind(configuration.GetSection(BankOptions.Section))
            .Validate(options => DelayList.IsValid(options.QuerySchedule), "Payments:Bank:QuerySchedule is not a list of offsets like 1m,5m,15m.")
            .ValidateOnStart();
        services.AddOptions<OrderOptions>()
            .Bind(configuration.GetSection(OrderOptions.Section))
            .Validate(options => options.ExpireAfter > TimeSpan.Zero, "Payments:Orders:ExpireAfter must be positive.")
            .ValidateOnStart();
        services.AddOptions<ReconciliationOptions>()
            .Bind(configuration.GetSection(ReconciliationOptions.Section))
            .Validate(options => !string.IsNullOrWhiteSpace(options.Cron), "Payments:Reconciliation:Cron must be a cron expression.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// The participants: the data source (<see cref="DatabaseOptions"/>), migrations at start-up, the stores the API
    /// calls, the activity classes (singletons) and their HTTP clients. Their settings come from <see cref="AddParticipantOptions"/>.
    /// </summary>
    public static IServiceCollection AddPaymentParticipants(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var builder = new NpgsqlDataSourceBuilder(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString);
            // Statements prepared once per connection instead of planned per call (doubled TCC throughput in the benchmark),
            // unless the connection string says otherwise.
            if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            {
                builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
            }
            // No session state to reset on a pooled connection's reuse (no SET, no LISTEN, no session advisory lock, no temp
            // table: the barrier's gate is transaction-local), so its prepared statements are kept and no reset is sent.
            builder.ConnectionStringBuilder.NoResetOnClose = true;
            // Idle connections closed after 20 s rather than Npgsql's 300 s: every 20 s Npgsql closes as many as stayed idle
            // through both of its 10 s samples, and QuietPoolClose closes what its pruning leaves once the host is quiet, so a
            // burst's backends are gone within about 40 s of its end (the chaos run checks 60 s after).
            if (builder.ConnectionStringBuilder.ConnectionIdleLifetime == DefaultIdleLifetimeSeconds)
            {
                builder.ConnectionStringBuilder.ConnectionIdleLifetime = 20;
            }
            // Each host names its connections (pg_stat_activity.application_name), so a backend left open says whose it is,
            // and its pool after them (Npgsql's metrics, which QuietPoolClose reads).
            if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
            {
                builder.ConnectionStringBuilder.ApplicationName = provider.GetService<IHostEnvironment>()?.ApplicationName;
            }
            builder.Name = builder.ConnectionStringBuilder.ApplicationName;
            return builder.UseLoggerFactory(provider.GetRequiredService<ILoggerFactory>()).Build();
        });
        services.AddHostedService<MigrateOnStartup>();
        services.AddHostedService<QuietPoolClose>();

        services.TryAddSingleton<MerchantStore>();
        services.TryAddSingleton<UserStore>();
        services.TryAddSingleton<FundAccountStore>();
        services.TryAddSingleton<PointsAccountStore>();
        services.TryAddSingleton<PaymentOrderStore>();
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

/// <summary>In Development a missing bank secret is the well-known one, so the run command signs and checks without setup.</summary>
internal sealed class DevelopmentBankSecret(IHostEnvironment? environment = null) : IPostConfigureOptions<BankSecretOptions>
{
    public void PostConfigure(string? name, BankSecretOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.BankSecret) && environment?.IsDevelopment() == true)
        {
            options.BankSecret = BankSecretOptions.DevelopmentSecret;
        }
    }
}
