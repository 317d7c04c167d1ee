using System.Net;
using Payments.Api.Fuzzing.Tests.Support;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>Without a credential allowed there every protected endpoint answers 401 (none, unknown) or 403 (known, not allowed), and changes nothing.</summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class Credentials_Fuzz(FuzzedPlatform platform)
{
    /// <summary>Every protected endpoint but the two reads that the operator and the owner may both make.</summary>
    public static TheoryData<string> SingleRoleEndpoints =>
    [
        .. Endpoints.Protected.Select(endpoint => endpoint.Name)
            .Except(["GET /api/payments/{id}", "GET /api/payments/{id}/notification"], StringComparer.Ordinal),
    ];

    [Fuzz]
    public async Task AnyProtectedEndpoint_NoOrWrongCredential_Answers401AndChangesNothing(CredentialCase fuzzed)
    {
        var request = fuzzed.Endpoint.Request(platform, fuzzed.Endpoint.ValidBody?.Invoke(platform).ToJsonString(), Caller.Anonymous);
        if (fuzzed.Authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", fuzzed.Authorization);
        }

        var refusal = await platform.RefusesAsync(request, fuzzed.ToString());

        Assert.True(refusal.Status == HttpStatusCode.Unauthorized, refusal.Said);
    }

    /// <summary>The operator's token on a merchant's endpoint, a merchant's key on the operator's.</summary>
    [Theory]
    [MemberData(nameof(SingleRoleEndpoints))]
    public async Task AnyProtectedEndpoint_KnownCredentialOfTheWrongRole_Answers403AndChangesNothing(string name)
    {
        var endpoint = Endpoints.Protected.Single(candidate => candidate.Name == name);
        var wrongRole = endpoint.Caller == Caller.Operator ? Caller.Owner : Caller.Operator;

        var refusal = await platform.RefusesAsync(endpoint.Request(platform, endpoint.ValidBody?.Invoke(platform).ToJsonString(), wrongRole), name);

        Assert.True(refusal.Status == HttpStatusCode.Forbidden, refusal.Said);
    }

    /// <summary>Another merchant's key on the owner's payment: 403 where the payment is named by its id, 404 for an order number of its own namespace.</summary>
    [Theory]
    [InlineData("GET /api/payments/{id}", HttpStatusCode.Forbidden)]
    [InlineData("GET /api/payments/{id}/notification", HttpStatusCode.Forbidden)]
    [InlineData("POST /api/payments/{id}/notification/ack", HttpStatusCode.Forbidden)]
    [InlineData("GET /api/merchant/orders/{no}", HttpStatusCode.NotFound)]
    public async Task OwnersPayment_AnotherMerchantsKey_IsRefusedAndChangesNothing(string name, HttpStatusCode expected)
    {
        var endpoint = Endpoints.Protected.Single(candidate => candidate.Name == name);

        var refusal = await platform.RefusesAsync(endpoint.Request(platform, caller: Caller.Other), name);

        Assert.True(refusal.Status == expected, refusal.Said);
    }
}
