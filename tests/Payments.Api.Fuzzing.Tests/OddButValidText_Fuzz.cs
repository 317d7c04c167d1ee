using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Payments.Api.Fuzzing.Tests.Support;
using Payments.Api.Tests.Support;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>Names in any script, with emoji, combining marks and bidi marks — anything printable, up to 256 characters — are kept exactly as sent.</summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class OddButValidText_Fuzz(FuzzedPlatform platform)
{
    [Fuzz]
    public async Task CreateMerchant_AnyPrintableName_IsStoredExactlyAsSent(PrintableName name)
    {
        var merchantId = PaymentsClient.Unique("m");
        using var created = await platform.Client.Operator.PostAsJsonAsync(
            "/api/merchants", new JsonObject { ["merchantId"] = merchantId, ["name"] = name.Value, ["currency"] = "CNY" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{name}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");

        using var frozen = await platform.Client.Operator.PostAsync(new Uri($"/api/merchants/{merchantId}/freeze", UriKind.Relative), null);
        var stored = await frozen.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(name.Value, (string?)stored!["name"]);
    }
}

/// <summary>1..256 UTF-16 units, not blank, no control character: what the contract takes as a name.</summary>
public sealed record PrintableName(string Value)
{
    public static Arbitrary<PrintableName> Names() =>
        Gen.ListOf(Gen.Elements(
                "a", "Z", " ", "李", "雷", "ß", "é", "e\u0301", "\u05e9", "\u0627", "\u202e", "\u200b", "\u00a0", "\ufeff", "😀", "👩‍👩‍👧", "\u3000", "'", "\"", "\\",
                "<script>", "%00", "\\u0000", "${x}", "{{x}}", "Robert'); DROP TABLE users;--"))
            .Select(parts => string.Concat(parts))
            .Where(text => !string.IsNullOrWhiteSpace(text) && text.Length <= 256)
            .Select(text => new PrintableName(text))
            .ToArbitrary();
}
