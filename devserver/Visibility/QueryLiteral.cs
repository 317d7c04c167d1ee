using System.Globalization;
using System.Text.RegularExpressions;
using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Visibility;

/// <summary>A constant written in a query, before it is checked against the type of the attribute it is compared with.</summary>
internal sealed partial record QueryLiteral(object Value)
{
    /// <summary>
    /// Converts the literal to the attribute's value type, as Temporal's query converter does: numbers for Int and
    /// Double, TRUE/FALSE for Bool, RFC 3339 strings or Unix nanoseconds for Datetime, strings for the keyword
    /// types, status names or numbers for ExecutionStatus, and durations for ExecutionDuration.
    /// </summary>
    public object Bind(QueryField field)
    {
        switch (field.FieldName)
        {
            case SearchAttributeNames.ExecutionStatus:
                return BindExecutionStatus();
            case SearchAttributeNames.ExecutionDuration:
                return BindExecutionDuration();
        }
        switch (field.Type)
        {
            case IndexedValueType.Int or IndexedValueType.Double when Value is long or double:
            case IndexedValueType.Bool when Value is bool:
            case IndexedValueType.Keyword or IndexedValueType.KeywordList when Value is string:
                return Value;
            case IndexedValueType.Text when Value is string text:
                return string.IsNullOrWhiteSpace(text)
                    ? throw VisibilityErrors.InvalidExpression($"no tokens found filtering on Text type search attribute {field.Alias}")
                    : text;
            case IndexedValueType.Datetime when Value is long nanos:
                return DateTime.UnixEpoch.AddTicks(nanos / 100);
            case IndexedValueType.Datetime when Value is string text:
                return Rfc3339.TryParse(text, out var time)
                    ? time
                    : throw VisibilityErrors.InvalidExpression($"unable to parse datetime '{text}'");
            default:
                throw VisibilityErrors.InvalidExpression(
                    $"invalid value type for search attribute {field.Alias} of type {field.Type}: {GoValue} (type: {GoType})");
        }
    }

    private string BindExecutionStatus()
    {
        switch (Value)
        {
            case long number when number is >= 0 and <= int.MaxValue && Enum.IsDefined((WorkflowExecutionStatus)number):
                return ((WorkflowExecutionStatus)number).ToString();
            case long number:
                throw VisibilityErrors.InvalidExpression($"invalid {SearchAttributeNames.ExecutionStatus} value {number}");
            case string name when TryParseStatus(name, out var status):
                return status.ToString();
            case string name:
                throw VisibilityErrors.InvalidExpression($"invalid {SearchAttributeNames.ExecutionStatus} value '{name}'");
            default:
                throw VisibilityErrors.InvalidExpression(
                    $"unexpected value type {GoType} for search attribute {SearchAttributeNames.ExecutionStatus}");
        }
    }

    /// <summary>Accepts "Running" as well as "WORKFLOW_EXECUTION_STATUS_RUNNING", as Temporal's enum parser does.</summary>
    private static bool TryParseStatus(string name, out WorkflowExecutionStatus status)
    {
        const string prefix = "WORKFLOW_EXECUTION_STATUS_";
        var shortName = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..].Replace("_", string.Empty, StringComparison.Ordinal) : name;
        var ignoreCase = shortName.Length != name.Length;
        foreach (var candidate in Enum.GetValues<WorkflowExecutionStatus>())
        {
            if (candidate != WorkflowExecutionStatus.Unspecified &&
                string.Equals(candidate.ToString(), shortName, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }

    private long BindExecutionDuration() => Value switch
    {
        long nanos => nanos,
        string text when TryParseDuration(text, out var nanos) => nanos,
        string => throw VisibilityErrors.InvalidExpression(
            $"invalid duration value for search attribute {SearchAttributeNames.ExecutionDuration}: {Value}"),
        _ => throw VisibilityErrors.InvalidExpression(
            $"unexpected value type {GoType} for search attribute {SearchAttributeNames.ExecutionDuration}"),
    };

    [GeneratedRegex(@"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex GoDurationPart();

    [GeneratedRegex(@"^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ClockDuration();

    /// <summary>Temporal takes an ExecutionDuration as a Go duration ("1h30m") or as "hh:mm:ss".</summary>
    private static bool TryParseDuration(string text, out long nanos)
    {
        nanos = 0;
        if (GoDuration().IsMatch(text))
        {
            double total = 0;
            foreach (Match part in GoDurationPart().Matches(text))
            {
                var amount = double.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
                total += amount * part.Groups[2].Value switch
                {
                    "ns" => 1d,
                    "us" or "µs" => 1e3,
                    "ms" => 1e6,
                    "s" => 1e9,
                    "m" => 60e9,
                    _ => 3600e9,
                };
            }
            nanos = (long)total;
            return true;
        }
        var clock = ClockDuration().Match(text);
        if (!clock.Success)
        {
            return false;
        }
        var seconds = long.Parse(clock.Groups[1].Value, CultureInfo.InvariantCulture) * 3600 +
            long.Parse(clock.Groups[2].Value, CultureInfo.InvariantCulture) * 60 +
            double.Parse(clock.Groups[3].Value, CultureInfo.InvariantCulture);
        nanos = (long)(seconds * 1e9);
        return true;
    }

    /// <summary>The value as Go's %#v prints it, so error messages read like Temporal's.</summary>
    private string GoValue => Value switch
    {
        string text => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        bool flag => flag ? "true" : "false",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture)!,
    };

    private string GoType => Value switch
    {
        string => "string",
        long => "int64",
        double => "float64",
        bool => "bool",
        _ => Value.GetType().Name,
    };
}
