using System.Text.Json;
using System.Text.Json.Serialization;

namespace Payments.Domain;

/// <summary>
/// Every enum on the wire, in the API and in Temporal payloads alike: written and read only as its exact contract
/// spelling (<see cref="WireName"/>). Anything else — <c>"success"</c>, <c>" SUCCESS"</c>, <c>"SUCCESS,FAILED"</c>, a
/// number — is a <see cref="WireNameException"/>, never a loose match.
/// </summary>
public sealed class WireEnumJsonConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

    private sealed class Exact<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && WireName.TryParse<TEnum>(reader.GetString(), out var value)
                ? value
                : throw new WireNameException($"The value must be one of {WireName.AllOf<TEnum>()}, spelled exactly so.");

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(WireName.Of(value));

        public override TEnum ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            WireName.TryParse<TEnum>(reader.GetString(), out var value)
                ? value
                : throw new WireNameException($"The key must be one of {WireName.AllOf<TEnum>()}, spelled exactly so.");

        public override void WriteAsPropertyName(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WritePropertyName(WireName.Of(value));
    }
}

/// <summary>A wire enum value that is not one of the contract's spellings; the message lists them.</summary>
public sealed class WireNameException : JsonException
{
    public WireNameException()
    {
    }

    public WireNameException(string message)
        : base(message)
    {
    }

    public WireNameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
