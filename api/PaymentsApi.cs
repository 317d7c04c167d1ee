using Microsoft.AspNetCore.Server.Kestrel.Core;
using Payments.Api.Accounting;
using Payments.Api.Auth;
using Payments.Api.Bank;
using Payments.Api.BankSimulator;
using Payments.Api.Merchants;
using Payments.Api.Notifications;
using Payments.Api.Payments;
using Payments.Api.Problems;
using Payments.Api.Resolution;
using Payments.Api.Security;
using Payments.Api.Temporal;
using Payments.Api.Users;
using Payments.Activities;
using Payments.Domain;

namespace Payments.Api;

/// <summary>The payments HTTP API of the contract: its services, its middleware and its endpoints.</summary>
internal static class PaymentsApi
{
    /// <summary>The contract's limit on a request body (413 above it).</summary>
    public const long MaxBodyBytes = 64 * 1024;

    private const string RefundUrlKey = "Payments:Bank:RefundUrl";

    /// <summary>The API's services; the Temporal client (<see cref="Temporalio.Client.ITemporalClient"/>) is registered by the embedded mode or the worker registration.</summary>
    public static IServiceCollection AddPaymentsApi(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var credentials = PlatformCredentials.From(configuration, environment);
        services.AddSingleton(credentials);
        services.AddPaymentParticipants(configuration);
        // Every reader in this process (the embedded worker's refund activity too) signs with the same bank secret.
        configuration[PlatformCredentials.BankSecretKey] = credentials.BankSecret;
        if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(configuration[RefundUrlKey]))
        {
            // Read by the refund activity wherever the worker runs in this process (embedded mode).
            configuration[RefundUrlKey] = SimulatorRefundUrl(configuration).ToString();
        }
        services.AddSingleton(new Currencies(configuration["Payments:Currencies"] is { Length: > 0 } codes ? codes : Currencies.Default));
        services.AddSingleton(provider => new BankSignature(credentials.BankSecret, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<BankSimulatorRefunds>();
        services.AddSingleton<PaymentWorkflows>();
        services.AddSingleton<PaymentReader>();

        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        services.ConfigureHttpJsonOptions(json => WireJson.Configure(json.SerializerOptions));
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= context.ProblemDetails.Title);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnavailableExceptionHandler>();

        services.AddAuthentication(BearerAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthenticationHandler>(BearerAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Operator, policy => policy.RequireRole(ApiPolicies.Operator))
            .AddPolicy(ApiPolicies.Merchant, policy => policy.RequireRole(ApiPolicies.Merchant))
            .AddPolicy(ApiPolicies.OperatorOrMerchant, policy => policy.RequireRole(ApiPolicies.Operator, ApiPolicies.Merchant));
        return services;
    }

    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMerchantEndpoints()
            .MapUserEndpoints()
            .MapPaymentEndpoints()
            .MapBankEndpoints()
            .MapResolutionEndpoints()
            .MapNotificationEndpoints()
            .MapVoucherEndpoints();
        // Not configured (or empty): served in Development alone.
        if (app.Configuration.GetValue<bool?>(BankSimulatorEndpoints.EnabledKey) ?? app.Environment.IsDevelopment())
        {
            app.MapBankSimulatorEndpoints();
        }
        return app;
    }

    /// <summary>The embedded bank simulator on this API's own first address (a wildcard host means loopback).</summary>
    private static Uri SimulatorRefundUrl(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        var address = new UriBuilder(first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal));
        if (address.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            address.Host = "127.0.0.1";
        }
        address.Path = BankSimulatorEndpoints.RefundsPath;
        return address.Uri;
    }
}
