using System.Text.Encodings.Web;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>A value the contract refuses for a field, as raw JSON text (null: the field is left out).</summary>
public sealed record WrongValue(string? Json)
{
    public override string ToString() => Json is null ? "(left out)" : Json.Length > 120 ? $"{Json[..120]}… ({Json.Length} chars)" : Json;
}

/// <summary>
/// For each kind of field, values that must be refused: wrong JSON types, boundary and overflowing numbers, blank,
/// over-long and odd strings (control characters, NUL, unicode that is not an identifier), and enum spellings that are
/// close to the contract's but not it.
/// </summary>
public static class WrongValues
{
    /// <summary>Escapes only what JSON requires, so unicode reaches the API as UTF-8 and controls as \u escapes.</summary>
    private static readonly JsonSerializerOptions RawUnicode = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Gen<string> NotAString = Gen.Elements("0", "-1", "1.5", "true", "false", "[]", "{}", "[\"x\"]", "{\"a\":1}");

    private static readonly Gen<string> NotAnInteger = Gen.Elements(
        "\"10000\"", "\"\"", "1.5", "100.0", "1e3", "-0.5", "1e400", "-1e400", "99999999999999999999", "-99999999999999999999",
        "9223372036854775808", "-9223372036854775809", "true", "[]", "{}", "[1]", "\"NaN\"", "\"Infinity\"");

    /// <summary>Characters no client identifier, name or URL may hold: C0 and C1 controls, NUL among them.</summary>
    private static readonly Gen<char> ControlCharacter = Gen.OneOf(Gen.Choose(0, 0x1f), Gen.Choose(0x7f, 0x9f)).Select(code => (char)code);

    /// <summary>Printable characters outside <c>[A-Za-z0-9_-]</c>: punctuation, spaces, accents, CJK, RTL marks, emoji.</summary>
    private static readonly Gen<string> NotIdentifierText = Gen.Elements(
        " ", ".", "/", "..", "%", "+", "=", "@", "'", "\"", "\\", ";", ":", "é", "李", "ß", "\u200b", "\u202e", "\u00a0", "\ufeff", "😀", "\u0301", "ａ");

    public static Gen<WrongValue> For(FieldKind kind, bool required) =>
        Gen.OneOf(ForKind(kind).Concat(required ? [Gen.Constant<string?>(null), Gen.Constant<string?>("null")] : []))
            .Select(json => new WrongValue(json));

    private static IEnumerable<Gen<string?>> ForKind(FieldKind kind) => kind switch
    {
        FieldKind.ClientId => [Strings(BadIdentifier()), NotAString!],
        FieldKind.Name or FieldKind.Subject => [Strings(BadText(256)), NotAString!],
        FieldKind.Reason => [Strings(BadText(1024)), NotAString!],
        FieldKind.NotifyUrl => [Strings(BadUrl()), NotAString!],
        FieldKind.Amount => [NotAnInteger!, Integers(0, -1, 1_000_000_000_001, long.MaxValue, long.MinValue, int.MinValue)],
        FieldKind.FeeBps => [NotAnInteger!, Integers(-1, 10_001, int.MaxValue, (long)int.MaxValue + 1, long.MaxValue)],
        FieldKind.Currency => [Strings(BadCurrency()), NotAString!],
        FieldKind.BankResult => [Strings(Misspelled("SUCCESS", "FAILED")), Integers(0, 1, 2)],
        FieldKind.ResolutionAction => [Strings(Misspelled("RETRY", "REFUND")), Integers(0, 1, 2)],
        FieldKind.Timestamp => [Strings(Gen.Elements("", "yesterday", "2026-13-01T00:00:00Z", "2026-11-23 25:00", "1764000000", "2026-02-30T00:00:00Z")), Gen.Elements<string?>("1764000000", "true", "[]", "{}")],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Gen<string?> Strings(Gen<string> values) => values.Select(string? (value) => JsonSerializer.Serialize(value, RawUnicode));

    private static Gen<string?> Integers(params long[] values) => Gen.Elements(values).Select(string? (value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Empty, 65 characters and far longer, or an otherwise valid id with one bad character put anywhere in it.</summary>
    private static Gen<string> BadIdentifier() => Gen.OneOf(
        Gen.Elements("", new string('a', 65), new string('x', 4000), new string('李', 64)),
        from id in Gen.Elements("A-1", "m_1", "pay_0192", "x")
        from bad in Gen.OneOf(NotIdentifierText, ControlCharacter.Select(c => c.ToString()))
        from at in Gen.Choose(0, id.Length)
        select id.Insert(at, bad));

    /// <summary>Blank, one character too long, or any text holding a control character (NUL included).</summary>
    private static Gen<string> BadText(int maxLength) => Gen.OneOf(
        Gen.Elements(new string('s', maxLength + 1), new string('名', maxLength + 1), string.Concat(Enumerable.Repeat("😀", (maxLength / 2) + 1))),
        Gen.Elements("", " ", "\t", "   ", "\u3000"),
        from text in Gen.Elements("Book shop", "李雷", "a", "2 books 😀")
        from control in ControlCharacter
        from at in Gen.Choose(0, text.Length)
        select text.Insert(at, control.ToString()));

    private static Gen<string> BadUrl() => Gen.OneOf(
        Gen.Elements(
            "", " ", "notify", "/notify", "127.0.0.1:9/notify", "ftp://127.0.0.1/notify", "file:///etc/passwd", "javascript:alert(1)",
            "mailto:a@b.c", "http://", "http:///x", "http://[::1/x", $"http://127.0.0.1/{new string('p', 2040)}"),
        from control in ControlCharacter
        from at in Gen.Choose(0, 25)
        select "http://127.0.0.1:9/notify".Insert(at, control.ToString()));

    private static Gen<string> BadCurrency() => Gen.Elements("", "cny", "Cny", " CNY", "CNY ", "CN", "CNYY", "JPY", "XXX", "C\u0000Y", "ＣＮＹ", "CNY,USD", "€");

    /// <summary>The contract's spellings with a case, a blank, a separator or a second value added: each must be refused.</summary>
    private static Gen<string> Misspelled(params string[] spellings) =>
        from spelling in Gen.Elements(spellings)
        from other in Gen.Elements(spellings)
        from mistake in Gen.Elements<Func<string, string, string>>(
            (s, _) => s.ToLowerInvariant(),
            (s, _) => s[..1] + s[1..].ToLowerInvariant(),
            (s, _) => s[..^1] + char.ToLowerInvariant(s[^1]),
            (s, _) => " " + s,
            (s, _) => s + " ",
            (s, _) => s + "\n",
            (s, _) => s + "\u0000",
            (s, o) => s + "," + o,
            (s, o) => s + ", " + o,
            (s, o) => s + "|" + o,
            (s, _) => s.Replace('S', 'Ｓ'),
            (s, _) => s[..^1],
            (s, _) => "",
            (s, _) => "0",
            (s, _) => "1")
        select mistake(spelling, other) into wrong
        where !spellings.Contains(wrong)
        select wrong;
}
