namespace Payments.Domain;

/// <summary>The contract's timestamps: ISO-8601 UTC, whole seconds without a fraction (<c>2026-11-23T12:00:00Z</c>).</summary>
public static class Timestamps
{
    public static string ToWire(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>PostgreSQL keeps microseconds: values are cut to that before they are stored or compared.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);
}
