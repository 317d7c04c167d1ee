using Microsoft.OpenApi;
using Payments.Domain;
using Scalar.AspNetCore;

namespace Payments.Api.OpenApi;

/// <summary>
/// The OpenAPI document of the contract (<c>/openapi/v1.json</c>): every endpoint with its typed answers, its credentials
/// (<see cref="CredentialsTransformer"/>) and its problem statuses; and the page to browse and try it (<c>/docs</c>, Scalar).
/// </summary>
internal static class ApiDocument
{
    public const string OperatorScheme = "operator";
    public const string MerchantScheme = "merchant";
    public const string BankScheme = "bank";
    public const string DocsPath = "/docs";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Payments API";
                document.Info.Description = "Completes card payments across five services; amounts are integer minor units, errors application/problem+json.";
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[OperatorScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The operator token (Payments:OperatorToken).",
                };
                document.Components.SecuritySchemes[MerchantScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "The merchant's apiKey, shown once when the merchant is created.",
                };
                document.Components.SecuritySchemes[BankScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = BankHeaders.Signature,
                    Description = $"Lower-case hex HMAC-SHA256(bank secret, {BankHeaders.Timestamp} + \".\" + raw body, or the path of a request without one), with {BankHeaders.Timestamp} the unix time within 300 s.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer<CredentialsTransformer>();
        });

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(DocsPath, scalar => scalar.Title = "Payments API");
        return app;
    }
}
