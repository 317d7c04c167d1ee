using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Payments.Api.Auth;
using Payments.Api.Bank;

namespace Payments.Api.OpenApi;

/// <summary>
/// Each operation's credentials, read from its endpoint's authorization metadata, and the answers every request can get
/// before its handler runs: 401/403 from the authentication handler, 400/413/415 for a JSON body.
/// </summary>
internal sealed class CredentialsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        if (operation.RequestBody is not null)
        {
            Answer(operation, StatusCodes.Status400BadRequest, "The body is not JSON, or a field has the wrong type (errors names it).");
            Answer(operation, StatusCodes.Status413PayloadTooLarge, "The body is over 64 KiB.");
            Answer(operation, StatusCodes.Status415UnsupportedMediaType, "The body is not application/json.");
        }
        string[] schemes = metadata.OfType<SignedByBank>().Any() ? [ApiDocument.BankScheme]
            : metadata.OfType<IAllowAnonymous>().Any() ? []
            : [.. metadata.OfType<IAuthorizeData>().SelectMany(authorize => Schemes(authorize.Policy)).Distinct()];
        if (schemes.Length == 0)
        {
            return Task.CompletedTask;
        }
        // One requirement per scheme: any one of them is enough.
        operation.Security = [.. schemes.Select(scheme => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] })];
        Answer(operation, StatusCodes.Status401Unauthorized, "Missing or bad credentials or signature.");
        if (!schemes.Contains(ApiDocument.BankScheme))
        {
            Answer(operation, StatusCodes.Status403Forbidden, "Authenticated, but these credentials may not do this.");
        }
        return Task.CompletedTask;
    }

    private static string[] Schemes(string? policy) => policy switch
    {
        ApiPolicies.Operator => [ApiDocument.OperatorScheme],
        ApiPolicies.Merchant => [ApiDocument.MerchantScheme],
        ApiPolicies.OperatorOrMerchant => [ApiDocument.OperatorScheme, ApiDocument.MerchantScheme],
        _ => [],
    };

    private static void Answer(OpenApiOperation operation, int status, string description) =>
        operation.Responses!.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse { Description = description });
}
