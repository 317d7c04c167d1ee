using System.Collections.Frozen;
using System.Text.Json;

namespace Payments.Domain;

/// <summary>
/// The contract spells enum values in UPPER_SNAKE_CASE (<c>WAITING_FOR_OPERATOR</c>); so does the database. Parsing is
/// exact: no other case, no surrounding blanks, no numbers, no comma-joined combinations.
/// </summary>
public static class WireName
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Spelling<TEnum>.Names[value];

    public static TEnum Parse<TEnum>(string wire)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(wire, out var value) ? value : throw new FormatException($"'{wire}' is not a {typeof(TEnum).Name}.");

    public static bool TryParse<TEnum>(string? wire, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        return wire is not null && Spelling<TEnum>.Values.TryGetValue(wire, out value);
    }

    /// <summary>Every spelling of <typeparamref name="TEnum"/>, comma-separated, for an error message.</summary>
    public static string AllOf<TEnum>()
        where TEnum : struct, Enum => Spelling<TEnum>.List;

    private static class Spelling<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Names =
            Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseUpper.ConvertName(value.ToString()));

        public static readonly FrozenDictionary<string, TEnum> Values = Names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

        public static readonly string List = string.Join(", ", Enum.GetValues<TEnum>().Select(value => Names[value]));
    }
}
