using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>
/// A body that is not the JSON object an endpoint reads: cut short, not JSON, not UTF-8, nested past the reader's depth,
/// or JSON of another shape. Built from the endpoint's valid body, so each is near what a client would really send.
/// </summary>
public sealed record MalformedBody(string Label, Func<string, byte[]> Spoil)
{
    public override string ToString() => Label;

    public static Gen<MalformedBody> Any => Gen.OneOf(
        Gen.Elements(Shapes),
        Gen.Choose(1, 10_000).Select(cut => new MalformedBody(
            $"cut short by {cut} bytes", valid => Encoding.UTF8.GetBytes(valid[..Math.Max(0, valid.Length - cut)]))),
        from valueIndex in Gen.Choose(0, 10)
        from junk in Gen.Elements("\"", "{", "}", "[", ",", ":", "\\", "'", "/*", "//", "\u0000", "\u0001", "NaN", "undefined", ",,")
        select new MalformedBody($"'{junk}' before value {valueIndex}", valid => Encoding.UTF8.GetBytes(BeforeValue(valid, valueIndex, junk))),
        from bytes in Gen.ArrayOf(Gen.Choose(0x80, 0xff).Select(b => (byte)b))
        where bytes.Length > 0
        select new MalformedBody($"invalid UTF-8 {Convert.ToHexString(bytes)}", valid => [.. Encoding.UTF8.GetBytes(valid[..^1]), .. bytes, (byte)'}']));

    /// <summary>Puts junk where a value starts (after a key's <c>":</c>), never inside a string, where it could still be valid.</summary>
    private static string BeforeValue(string valid, int valueIndex, string junk)
    {
        var starts = new List<int>();
        for (var at = valid.IndexOf("\":", StringComparison.Ordinal); at >= 0; at = valid.IndexOf("\":", at + 2, StringComparison.Ordinal))
        {
            starts.Add(at + 2);
        }
        return valid.Insert(starts[valueIndex % starts.Count], junk);
    }

    private static readonly MalformedBody[] Shapes =
    [
        new("empty", _ => []),
        new("null", _ => "null"u8.ToArray()),
        new("an array", valid => Encoding.UTF8.GetBytes($"[{valid}]")),
        new("a number", _ => "1"u8.ToArray()),
        new("a string", valid => Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(valid))),
        new("true", _ => "true"u8.ToArray()),
        new("two objects", valid => Encoding.UTF8.GetBytes(valid + valid)),
        new("a trailing comma", valid => Encoding.UTF8.GetBytes(valid[..^1] + ",}")),
        new("a comment", valid => Encoding.UTF8.GetBytes("/* hi */" + valid)),
        new("single quotes", valid => Encoding.UTF8.GetBytes(valid.Replace('"', '\''))),
        new("nested 10000 deep", _ => Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000))),
        new("an object nested 100 deep", _ => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100))),
        new("UTF-16", valid => Encoding.Unicode.GetBytes(valid)),
        new("a lone surrogate escape", valid => Encoding.UTF8.GetBytes(valid.Insert(valid.IndexOf(':', StringComparison.Ordinal) + 2, "\\ud800"))),
    ];
}
