using Microsoft.AspNetCore.Server.Kestrel.Core;
using Payments.Api.Accounting;
using Payments.Api.Auth;
using Payments.Api.Bank;
using Payments.Api.BankSimulator;
using Payments.Api.Merchants;
using Payments.Api.Notifications;
using Payments.Api.OpenApi;
using Payments.Api.Payments;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Api.Reconciliation;
using Payments.Api.Resolutions;
using Microsoft.Extensions.Options;
using Payments.Api.Configuration;
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

    /// <summary>
    /// The API's services; the Temporal client (<see cref="Temporalio.Client.ITemporalClient"/>) is registered by the
    /// embedded mode or the worker registration, the shared settings by <see cref="Workers.PaymentsConfiguration"/>.
    /// </summary>
    public static IServiceCollection AddPaymentsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddApiOptions(configuration);
        services.AddPaymentParticipants();
        services.AddSingleton<BankSimulatorBooks>();
        services.AddHttpClient(BankSimulatorEndpoints.HttpClientName);
        services.AddHostedService<PreRevisionOrders>();
        services.AddSingleton(provider => new Currencies(provider.GetRequiredService<IOptions<CurrencyOptions>>().Value.Currencies));
        services.AddSingleton<BankSignature>();
        services.AddSingleton<PaymentWorkflows>();
        services.AddSingleton<PaymentQueries>();
        services.AddSingleton<PaymentReader>();

        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes);
        services.ConfigureHttpJsonOptions(json => WireJson.Configure(json.SerializerOptions));
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= context.ProblemDetails.Title);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddExceptionHandler<UnavailableExceptionHandler>();
        services.AddApiDocument();

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
        app.UsePaymentLogContext();
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
            .MapVoucherEndpoints()
            .MapReconciliationEndpoints();
        app.MapApiDocument();
        if (app.Services.GetRequiredService<IOptions<BankSimulatorOptions>>().Value.Enabled == true)
        {
            app.MapBankSimulatorEndpoints();
        }
        return app;
    }
}
