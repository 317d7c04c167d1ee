using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Payments.Api.Tests.Support;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>Every way the fuzzer spoils <c>X-Bank-Timestamp</c> and <c>X-Bank-Signature</c> of an otherwise valid callback.</summary>
public static class BankHeaderSpoilers
{
    public static readonly IReadOnlyList<SignatureCase> All =
    [
        new("no headers", (_, _) => (null, null)),
        new("no signature", (_, _) => (Now(), null)),
        new("no timestamp", (body, _) => (null, Sign(Now(), body))),
        new("empty signature", (_, _) => (Now(), string.Empty)),
        new("a random signature", (_, _) => (Now(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)))),
        new("another secret", (body, _) => (Now(), Sign(Now(), body, "not-the-bank"))),
        new("an empty secret", (body, _) => (Now(), Sign(Now(), body, string.Empty))),
        new("upper-case hex", (body, _) => (Now(), Sign(Now(), body).ToUpperInvariant())),
        new("one hex digit changed", (body, _) => (Now(), Flip(Sign(Now(), body)))),
        new("truncated", (body, _) => (Now(), Sign(Now(), body)[..63])),
        new("base64 instead of hex", (body, _) => (Now(), Convert.ToBase64String(Convert.FromHexString(Sign(Now(), body))))),
        new("signed another body", (_, other) => (Now(), Sign(Now(), other))),
        new("signed without the timestamp", (body, _) => (Now(), Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(BankSigner.DevelopmentSecret), Encoding.UTF8.GetBytes(body))))),
        new("timestamp 301 s old", (body, _) => Signed(-301, body)),
        // Well past the window: the server reads its clock a moment after this one, so 301 s ahead may arrive as 300.
        new("timestamp 330 s ahead", (body, _) => Signed(330, body)),
        new("timestamp a day old", (body, _) => Signed(-86_400, body)),
        new("timestamp zero", (body, _) => ("0", Sign("0", body))),
        new("timestamp in milliseconds", (body, _) => Millis(body)),
        new("timestamp negative", (body, _) => ("-1", Sign("-1", body))),
        new("timestamp overflowing", (body, _) => ("99999999999999999999", Sign("99999999999999999999", body))),
        new("timestamp long.MinValue", (body, _) => (long.MinValue.ToString(CultureInfo.InvariantCulture), Sign(long.MinValue.ToString(CultureInfo.InvariantCulture), body))),
        new("timestamp not a number", (body, _) => ("now", Sign("now", body))),
        new("timestamp with a fraction", (body, _) => (Now() + ".5", Sign(Now() + ".5", body))),
        new("timestamp as a date", (body, _) => ("2026-11-23T12:00:00Z", Sign("2026-11-23T12:00:00Z", body))),
    ];

    private static string Now(int offsetSeconds = 0) =>
        DateTimeOffset.UtcNow.AddSeconds(offsetSeconds).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static (string, string) Signed(int offsetSeconds, string body) => (Now(offsetSeconds), Sign(Now(offsetSeconds), body));

    private static (string, string) Millis(string body)
    {
        var millis = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return (millis, Sign(millis, body));
    }

    private static string Sign(string timestamp, string body, string secret = BankSigner.DevelopmentSecret) =>
        BankRequests.Sign(timestamp, Encoding.UTF8.GetBytes(body), secret);

    private static string Flip(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];
}
