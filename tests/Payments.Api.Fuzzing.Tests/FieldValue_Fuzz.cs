using System.Net;
using System.Text.Json.Nodes;
using Payments.Api.Fuzzing.Tests.Support;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>
/// Any one field of any JSON endpoint holding a value the contract refuses — wrong type, out of range, overflowing,
/// blank, too long, control characters, a misspelled enum — is a 400 naming that field, and changes nothing.
/// </summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class FieldValue_Fuzz(FuzzedPlatform platform)
{
    private const string Placeholder = "\"__fuzzed__\"";

    [Fuzz]
    public async Task AnyEndpoint_OneFieldWrong_Answers400NamingItAndChangesNothing(FieldCase fuzzed)
    {
        var body = fuzzed.Endpoint.ValidBody!(platform);
        if (fuzzed.Value.Json is null)
        {
            body.Remove(fuzzed.Field.Name);
        }
        else
        {
            body[fuzzed.Field.Name] = JsonValue.Create("__fuzzed__");
        }
        var json = body.ToJsonString().Replace(Placeholder, fuzzed.Value.Json, StringComparison.Ordinal);

        var refusal = await platform.RefusesAsync(fuzzed.Endpoint.Request(platform, json), fuzzed.ToString());

        Assert.True(refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.SequenceEqual([fuzzed.Field.Name]), refusal.Said);
    }
}
