using System.Net;
using System.Net.Http.Headers;
using Payments.Api.Fuzzing.Tests.Support;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>A body that is not the JSON object an endpoint reads is a 400 naming what is wrong; one that is not JSON at all is a 415, before the bank's signature is looked at.</summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class MalformedBody_Fuzz(FuzzedPlatform platform)
{
    [Fuzz]
    public async Task AnyEndpoint_MalformedJson_Answers400NamingTheFieldOrBodyAndChangesNothing(BodyCase fuzzed)
    {
        var bytes = fuzzed.Body.Spoil(fuzzed.Endpoint.ValidBody!(platform).ToJsonString());
        var request = fuzzed.Endpoint.Caller == Caller.Bank ? BankRequests.Callback(bytes) : WithBody(fuzzed.Endpoint.Request(platform), bytes);

        var refusal = await platform.RefusesAsync(request, fuzzed.ToString());

        Assert.True(refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.Count > 0, refusal.Said);
    }

    [Fuzz]
    public async Task AnyEndpoint_NotApplicationJson_Answers415AndChangesNothing(ContentTypeCase fuzzed)
    {
        var body = fuzzed.Endpoint.ValidBody!(platform).ToJsonString();
        var request = fuzzed.Endpoint.Request(platform, body);
        if (!fuzzed.WithSignature)
        {
            request.Headers.Remove("X-Bank-Signature");
        }
        request.Content!.Headers.Remove("Content-Type");
        if (fuzzed.ContentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzzed.ContentType);
        }

        var refusal = await platform.RefusesAsync(request, fuzzed.ToString());

        Assert.True(refusal.Status == HttpStatusCode.UnsupportedMediaType, refusal.Said);
    }

    private static HttpRequestMessage WithBody(HttpRequestMessage request, byte[] bytes)
    {
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }
}
