using System.Text.Json;

namespace Payments.Domain;

/// <summary>The contract spells enum values in UPPER_SNAKE_CASE (<c>WAITING_FOR_OPERATOR</c>); so does the database.</summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString());

    public static TEnum Parse<TEnum>(string wire)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(wire, out var value) ? value : throw new FormatException($"'{wire}' is not a {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? wire, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), wire, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
