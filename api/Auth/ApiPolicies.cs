using System.Security.Claims;

namespace Payments.Api.Auth;

/// <summary>Who may call what: the operator (platform token) and merchants (their own API key).</summary>
internal static class ApiPolicies
{
    public const string Operator = "operator";
    public const string Merchant = "merchant";
    public const string OperatorOrMerchant = "operator-or-merchant";
    public const string MerchantIdClaim = "merchant_id";

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(Operator);

    /// <summary>The merchant a request was authenticated as, or null for the operator.</summary>
    public static string? MerchantId(this ClaimsPrincipal user) => user.FindFirstValue(MerchantIdClaim);

    /// <summary>The operator sees every payment; a merchant only its own.</summary>
    public static bool MayRead(this ClaimsPrincipal user, string merchantId) => user.IsOperator() || user.MerchantId() == merchantId;
}
