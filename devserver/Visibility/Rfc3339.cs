using System.Globalization;
using System.Text.RegularExpressions;

namespace Payments.DevServer.Visibility;

/// <summary>Parses RFC 3339 timestamps as Go's time.RFC3339Nano does (up to nine fraction digits, Z or an offset).</summary>
internal static partial class Rfc3339
{
    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string text, out DateTime utc)
    {
        utc = default;
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        // .NET keeps 100 ns ticks: a nanosecond fraction is cut to seven digits.
        var fraction = match.Groups[2].Success ? "." + match.Groups[2].Value[..Math.Min(7, match.Groups[2].Value.Length)] : string.Empty;
        var zone = match.Groups[3].Value is "z" or "Z" ? "+00:00" : match.Groups[3].Value;
        var normalized = match.Groups[1].Value.ToUpperInvariant() + fraction + zone;
        if (!DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }
        utc = parsed.UtcDateTime;
        return true;
    }

    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
