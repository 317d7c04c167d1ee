using Google.Protobuf.WellKnownTypes;
using Temporalio.Api.Schedule.V1;

namespace Payments.DevServer.Schedules;

/// <summary>
/// A cron string as Temporal reads it (for schedules' cron_string and workflows' cron_schedule): an optional
/// "CRON_TZ=zone" prefix, then 5 fields (minute hour day-of-month month day-of-week), 6 (seconds first) or 7 (year
/// last), a descriptor (@daily, @hourly…) or "@every 1h[/offset]".
/// </summary>
internal sealed record CronExpression(StructuredCalendarSpec? Calendar, IntervalSpec? Interval, string? TimeZone)
{
    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    public static CronExpression Parse(string text)
    {
        var rest = text.Trim();
        string? zone = null;
        if (rest.StartsWith("CRON_TZ=", StringComparison.Ordinal) || rest.StartsWith("TZ=", StringComparison.Ordinal))
        {
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
            {
                throw new FormatException($"cron \"{text}\" has a time zone and nothing else");
            }
            zone = rest[(rest.IndexOf('=', StringComparison.Ordinal) + 1)..space];
            rest = rest[(space + 1)..].Trim();
        }
        if (rest.StartsWith("@every ", StringComparison.OrdinalIgnoreCase))
        {
            return new CronExpression(null, ParseEvery(rest["@every ".Length..].Trim()), zone);
        }
        if (Descriptors.TryGetValue(rest, out var expanded))
        {
            rest = expanded;
        }
        var fields = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var (second, minute, hour, dayOfMonth, month, dayOfWeek, year) = fields.Length switch
        {
            5 => ("0", fields[0], fields[1], fields[2], fields[3], fields[4], "*"),
            6 => (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], "*"),
            7 => (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6]),
            _ => throw new FormatException($"cron \"{text}\" must have 5, 6 or 7 fields"),
        };
        var calendar = CalendarField.ToStructured(new CalendarSpec
        {
            Second = second, Minute = minute, Hour = hour, DayOfMonth = dayOfMonth, Month = month, DayOfWeek = dayOfWeek, Year = year,
        });
        return new CronExpression(calendar, null, zone);
    }

    private static IntervalSpec ParseEvery(string text)
    {
        var parts = text.Split('/', 2);
        var interval = new IntervalSpec { Interval = Duration.FromTimeSpan(ParseGoDuration(parts[0])) };
        if (parts.Length == 2)
        {
            interval.Phase = Duration.FromTimeSpan(ParseGoDuration(parts[1]));
        }
        return interval;
    }

    /// <summary>Go's duration syntax as cron's @every uses it: "90s", "1h30m", "2d" is not Go but Temporal takes days.</summary>
    private static TimeSpan ParseGoDuration(string text)
    {
        var total = TimeSpan.Zero;
        var index = 0;
        while (index < text.Length)
        {
            var start = index;
            while (index < text.Length && (char.IsAsciiDigit(text[index]) || text[index] == '.'))
            {
                index++;
            }
            var unitStart = index;
            while (index < text.Length && char.IsAsciiLetter(text[index]))
            {
                index++;
            }
            if (start == unitStart || unitStart == index)
            {
                throw new FormatException($"\"{text}\" is not a duration");
            }
            var amount = double.Parse(text[start..unitStart], System.Globalization.CultureInfo.InvariantCulture);
            total += text[unitStart..index] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                var unit => throw new FormatException($"\"{unit}\" is not a duration unit"),
            };
        }
        return total > TimeSpan.Zero ? total : throw new FormatException($"\"{text}\" is not a positive duration");
    }
}
