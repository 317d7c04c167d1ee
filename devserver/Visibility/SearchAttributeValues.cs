using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Visibility;

/// <summary>
/// Decodes search-attribute payloads into comparable values: string (Keyword, Text, KeywordList items),
/// long (Int), double (Double), bool (Bool) and UTC DateTime (Datetime). Every attribute decodes to a list
/// of such values: KeywordList is a list by nature, and Temporal lets any other type hold a list too.
/// </summary>
public static class SearchAttributeValues
{
    private const string EncodingKey = "encoding";
    private const string TypeKey = "type";
    private const string JsonEncoding = "json/plain";
    private const string NullEncoding = "binary/null";

    /// <summary>Decodes <paramref name="payload"/> as <paramref name="type"/>; a null payload decodes to an empty list (the attribute is unset).</summary>
    public static bool TryDecode(Payload payload, IndexedValueType type, out IReadOnlyList<object> values)
    {
        values = [];
        var encoding = payload.Metadata.TryGetValue(EncodingKey, out var raw) ? raw.ToStringUtf8() : string.Empty;
        if (encoding == NullEncoding)
        {
            return true;
        }
        if (encoding != JsonEncoding)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(payload.Data.Memory);
            return TryDecode(document.RootElement, type, out values);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>How Temporal shows a refused value in its error: the decoded JSON, or the raw payload when it is not JSON.</summary>
    public static string Describe(Payload payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.Data.Memory);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.String ? root.GetString()! : root.GetRawText();
        }
        catch (JsonException)
        {
            return $"value from <{payload}>";
        }
    }

    /// <summary>Encodes a value as Temporal stores search attributes: JSON with the indexed type in the metadata.</summary>
    public static Payload Encode(object value, IndexedValueType type)
    {
        var json = value switch
        {
            DateTime time => JsonSerializer.Serialize(Rfc3339.Format(time)),
            _ => JsonSerializer.Serialize(value),
        };
        return new Payload
        {
            Metadata =
            {
                [EncodingKey] = ByteString.CopyFromUtf8(JsonEncoding),
                [TypeKey] = ByteString.CopyFromUtf8(type.ToString()),
            },
            Data = ByteString.CopyFrom(Encoding.UTF8.GetBytes(json)),
        };
    }

    private static bool TryDecode(JsonElement element, IndexedValueType type, out IReadOnlyList<object> values)
    {
        values = [];
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (element.ValueKind == JsonValueKind.Array)
        {
            var items = new List<object>(element.GetArrayLength());
            foreach (var item in element.EnumerateArray())
            {
                if (!TryDecodeScalar(item, type, out var value))
                {
                    return false;
                }
                items.Add(value);
            }
            values = items;
            return true;
        }
        // A KeywordList must be a JSON array, as Temporal decodes it into []string.
        if (type == IndexedValueType.KeywordList || !TryDecodeScalar(element, type, out var single))
        {
            return false;
        }
        values = [single];
        return true;
    }

    private static bool TryDecodeScalar(JsonElement element, IndexedValueType type, out object value)
    {
        value = null!;
        switch (type)
        {
            case IndexedValueType.Keyword or IndexedValueType.Text or IndexedValueType.KeywordList when element.ValueKind == JsonValueKind.String:
                value = element.GetString()!;
                return true;
            case IndexedValueType.Int when element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var integer):
                value = integer;
                return true;
            case IndexedValueType.Double when element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number):
                value = number;
                return true;
            case IndexedValueType.Bool when element.ValueKind is JsonValueKind.True or JsonValueKind.False:
                value = element.GetBoolean();
                return true;
            case IndexedValueType.Datetime when element.ValueKind == JsonValueKind.String && Rfc3339.TryParse(element.GetString()!, out var time):
                value = time;
                return true;
            default:
                return false;
        }
    }
}
