using System.Text.Json;
using System.Text.Json.Serialization;
using Payments.Domain;

namespace Payments.Api;

/// <summary>
/// The contract's JSON: camelCase, enums in their exact UPPER_SNAKE_CASE spelling (<see cref="WireEnumJsonConverter"/>), timestamps ISO-8601 UTC with a Z, and
/// numbers only as JSON numbers — money sent as a string or a float is refused, not coerced.
/// </summary>
internal static class WireJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new WireEnumJsonConverter());
        options.Converters.Add(new UtcTimestampConverter());
    }

    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => writer.WriteStringValue(Timestamps.ToWire(value));
    }
}
