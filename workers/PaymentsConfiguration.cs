using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Payments.Activities;
using Payments.Domain;
using Payments.Workflows;

namespace Payments.Workers;

/// <summary>
/// The settings the API and the worker share, bound once per host from the keys README.md lists and checked at start:
/// the participants' (<see cref="ParticipantsServiceCollectionExtensions.AddParticipantOptions"/>), the notification
/// schedule and Temporal's address. Each default lives on its options class.
/// </summary>
public static class PaymentsConfiguration
{
    public static IServiceCollection AddPaymentsOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddParticipantOptions(configuration);
        services.AddOptions<NotificationOptions>()
            .Bind(configuration.GetSection(NotificationOptions.Section))
            .Validate(options => DelayList.IsValid(options.Schedule) && options.AttemptsPerRun > 0, "Payments:Notify:Schedule is not a list of delays like 0s,4m,1h.")
            .ValidateOnStart();
        services.AddOptions<TemporalOptions>()
            .Bind(configuration.GetSection(TemporalOptions.Section))
            .Validate(options => !string.IsNullOrWhiteSpace(options.Address), RequiredSetting.Missing(TemporalOptions.AddressKey))
            .ValidateOnStart();
        return services;
    }

    /// <summary>A section's settings as the host will bind them, for what must be decided before the host is built (the embedded mode).</summary>
    public static TOptions Read<TOptions>(this IConfiguration configuration, string section)
        where TOptions : new() =>
        configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
}
