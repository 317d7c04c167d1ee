using Npgsql;
using NpgsqlTypes;
using Payments.Domain;

namespace Payments.Activities.Database;

public static class NpgsqlExtensions
{
    public static NpgsqlParameterCollection With(this NpgsqlParameterCollection parameters, string name, object value)
    {
        parameters.AddWithValue(name, value);
        return parameters;
    }

    /// <summary>A parameter that may be NULL: its type must be given since the value cannot tell it.</summary>
    public static NpgsqlParameterCollection WithNullable(this NpgsqlParameterCollection parameters, string name, object? value, NpgsqlDbType type)
    {
        parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });
        return parameters;
    }

    public static NpgsqlParameterCollection WithWire<TEnum>(this NpgsqlParameterCollection parameters, string name, TEnum? value)
        where TEnum : struct, Enum =>
        parameters.WithNullable(name, value is { } v ? WireName.Of(v) : null, NpgsqlDbType.Text);

    public static TEnum GetWire<TEnum>(this NpgsqlDataReader reader, string column)
        where TEnum : struct, Enum => WireName.Parse<TEnum>(reader.GetString(reader.GetOrdinal(column)));

    public static TEnum? GetNullableWire<TEnum>(this NpgsqlDataReader reader, string column)
        where TEnum : struct, Enum
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : WireName.Parse<TEnum>(reader.GetString(ordinal));
    }

    public static string GetString(this NpgsqlDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    public static string? GetNullableString(this NpgsqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static long GetInt64(this NpgsqlDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column));

    public static int GetInt32(this NpgsqlDataReader reader, string column) => reader.GetInt32(reader.GetOrdinal(column));

    public static int? GetNullableInt32(this NpgsqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
    }

    public static DateTimeOffset GetTimestamp(this NpgsqlDataReader reader, string column) =>
        reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal(column));

    public static DateTimeOffset? GetNullableTimestamp(this NpgsqlDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
    }
}
