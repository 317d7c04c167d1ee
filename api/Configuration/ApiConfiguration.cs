using Microsoft.Extensions.Options;
using Payments.Activities;
using Payments.Activities.Bank;
using Payments.Api.BankSimulator;
using Payments.Api.Embedded;
using Payments.Api.Security;
using Payments.Domain;

namespace Payments.Api.Configuration;

/// <summary>
/// The settings only the API reads, bound once beside the shared ones (<see cref="Workers.PaymentsConfiguration"/>):
/// the operator token, the bank simulator, the embedded mode, the currencies. Development defaults are applied here.
/// </summary>
internal static class ApiConfiguration
{
    public static IServiceCollection AddApiOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperatorOptions>()
            .Bind(configuration.GetSection(OperatorOptions.Section))
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                if (string.IsNullOrWhiteSpace(options.OperatorToken) && environment.IsDevelopment())
                {
                    options.OperatorToken = OperatorOptions.DevelopmentToken;
                }
            })
            .Validate(options => !string.IsNullOrWhiteSpace(options.OperatorToken), RequiredSetting.Missing(OperatorOptions.Key))
            .ValidateOnStart();
        services.AddOptions<BankSimulatorOptions>()
            .Bind(configuration.GetSection(BankSimulatorOptions.Section))
            .PostConfigure<IHostEnvironment>((options, environment) => options.Enabled ??= environment.IsDevelopment());
        // The simulator serves the bank's URLs unless they are configured (read by the worker in this process, embedded mode).
        services.AddSingleton(BankSimulatorAddress.From(ApiAddress.Urls(configuration)));
        services.AddOptions<BankOptions>()
            .PostConfigure<IOptions<BankSimulatorOptions>, BankSimulatorAddress>((bank, simulator, address) =>
            {
                if (simulator.Value.Enabled == true)
                {
                    bank.RefundUrl ??= address.Of(BankSimulatorEndpoints.RefundsPath);
                    bank.QueryUrl ??= address.Of(BankSimulatorEndpoints.TransactionsPath);
                }
            });
        services.AddOptions<EmbeddedOptions>().Bind(configuration.GetSection(EmbeddedOptions.Section));
        services.AddOptions<CurrencyOptions>()
            .Bind(configuration.GetSection(CurrencyOptions.Section))
            .Validate(options => Currencies.IsValid(options.Currencies), "Payments:Currencies is not a list of ISO 4217 codes like CNY,USD.")
            .ValidateOnStart();
        return services;
    }
}
