using System.Globalization;
using System.Net;
using Payments.Api.Fuzzing.Tests.Support;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>
/// An identifier in a path or a query that names nothing — unknown, over-long, odd unicode, a control character — is
/// refused without a 5xx and changes nothing: 404 in a path, 400 naming the parameter in a query. A NUL in the path
/// never reaches the API: Kestrel refuses the request line itself (400, no body).
/// </summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class PathIds_Fuzz(FuzzedPlatform platform)
{
    [Fuzz]
    public async Task AnyPathOrQueryId_NamingNothing_Answers404Or400AndChangesNothing(PathIdCase fuzzed)
    {
        var path = string.Format(CultureInfo.InvariantCulture, fuzzed.Endpoint.Template, Uri.EscapeDataString(fuzzed.Id));

        var inQuery = fuzzed.Endpoint.Template.Contains('?', StringComparison.Ordinal);
        var nulInPath = !inQuery && fuzzed.Id.Contains('\0', StringComparison.Ordinal);

        var refusal = await platform.RefusesAsync(
            Endpoint.Build(fuzzed.Endpoint.Method, path, fuzzed.Endpoint.Body, fuzzed.Endpoint.Caller, platform), fuzzed.ToString(), refusedByKestrel: nulInPath);

        Assert.True(
            nulInPath || (inQuery ? refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.Count == 1 : refusal.Status == HttpStatusCode.NotFound),
            refusal.Said);
    }
}
