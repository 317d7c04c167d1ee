using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Payments.Activities.Merchants;
using Payments.Api.Security;

namespace Payments.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer …</c> is either the operator token (compared in constant time) or a merchant's API key
/// (looked up by its hash). A missing or unknown credential is 401, a known one without the right role 403, both as
/// problem+json.
/// </summary>
internal sealed class BearerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<OperatorOptions> operatorOptions,
    MerchantStore merchants,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "Bearer";
    private const string Prefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || header.Length == Prefix.Length)
        {
            return AuthenticateResult.Fail("The Authorization header is not a bearer token.");
        }
        var token = header[Prefix.Length..].Trim();
        if (IsOperatorToken(token))
        {
            return Success(new Claim(ClaimTypes.Role, ApiPolicies.Operator));
        }
        var merchant = await merchants.FindByApiKeyAsync(token, Context.RequestAborted);
        return merchant is null
            ? AuthenticateResult.Fail("Unknown bearer token.")
            : Success(new Claim(ClaimTypes.Role, ApiPolicies.Merchant), new Claim(ApiPolicies.MerchantIdClaim, merchant.MerchantId));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = SchemeName;
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "A valid operator token or merchant API key is required (Authorization: Bearer …).");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "These credentials are not allowed to do this.");

    private bool IsOperatorToken(string token) => CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(operatorOptions.Value.OperatorToken!)));

    private static AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    private async Task WriteProblemAsync(int status, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = new ProblemDetails { Status = status, Detail = detail } });
    }
}
