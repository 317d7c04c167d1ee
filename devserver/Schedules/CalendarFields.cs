using Temporalio.Api.Schedule.V1;

namespace Payments.DevServer.Schedules;

/// <summary>
/// The seven fields of a calendar (second … day of week) with their bounds, their defaults and the names they
/// accept, and the parser of their string form ("*", "1,3-5", "*/15", "MON-FRI") shared by calendar specs and cron.
/// </summary>
internal sealed record CalendarField(string Name, int Min, int Max, string Default, IReadOnlyList<string> Names)
{
    private static readonly string[] MonthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static readonly CalendarField Second = new("second", 0, 59, "0", []);
    public static readonly CalendarField Minute = new("minute", 0, 59, "0", []);
    public static readonly CalendarField Hour = new("hour", 0, 23, "0", []);
    public static readonly CalendarField DayOfMonth = new("day_of_month", 1, 31, "*", []);
    public static readonly CalendarField Month = new("month", 1, 12, "*", MonthNames);
    public static readonly CalendarField Year = new("year", 1970, 2999, "*", []);
    // Cron allows 7 for Sunday as well as 0.
    public static readonly CalendarField DayOfWeek = new("day_of_week", 0, 7, "*", DayNames);

    /// <summary>Parses a field's string form into ranges (empty for "*" on year, which matches every year).</summary>
    public IReadOnlyList<Temporalio.Api.Schedule.V1.Range> Parse(string? text)
    {
        var source = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();
        if (this == Year && source is "*" or "?")
        {
            return [];
        }
        var ranges = new List<Temporalio.Api.Schedule.V1.Range>();
        foreach (var item in source.Split(',', StringSplitOptions.TrimEntries))
        {
            ranges.Add(ParseItem(item));
        }
        return ranges;
    }

    private Temporalio.Api.Schedule.V1.Range ParseItem(string item)
    {
        var step = 1;
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var body = item;
        if (slash >= 0)
        {
            step = ParseNumber(item[(slash + 1)..]);
            body = item[..slash];
            if (step <= 0)
            {
                throw new FormatException($"{Name}: step must be positive in \"{item}\"");
            }
        }
        int start, end;
        if (body is "*" or "?")
        {
            (start, end) = (Min, this == DayOfWeek ? 6 : Max);
        }
        else if (body.IndexOf('-', StringComparison.Ordinal) is var dash and > 0)
        {
            (start, end) = (ParseValue(body[..dash]), ParseValue(body[(dash + 1)..]));
        }
        else
        {
            start = ParseValue(body);
            // "5/15" means from 5 to the end of the field, every 15.
            end = slash >= 0 ? (this == DayOfWeek ? 6 : Max) : start;
        }
        if (end < start)
        {
            throw new FormatException($"{Name}: range \"{item}\" ends before it starts");
        }
        return new Temporalio.Api.Schedule.V1.Range { Start = start, End = end, Step = step };
    }

    private int ParseValue(string text)
    {
        var lower = text.Trim().ToLowerInvariant();
        for (var i = 0; i < Names.Count; i++)
        {
            if (lower.Length >= 3 && Names[i].StartsWith(lower[..3], StringComparison.Ordinal))
            {
                return i + (this == Month ? 1 : 0);
            }
        }
        var value = ParseNumber(lower);
        if (value < Min || value > Max)
        {
            throw new FormatException($"{Name}: {value} is outside {Min}-{Max}");
        }
        return value;
    }

    private int ParseNumber(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{Name}: \"{text}\" is not a number");

    /// <summary>The structured form of a calendar spec given as strings.</summary>
    public static StructuredCalendarSpec ToStructured(CalendarSpec calendar) => new()
    {
        Second = { Second.Parse(calendar.Second) },
        Minute = { Minute.Parse(calendar.Minute) },
        Hour = { Hour.Parse(calendar.Hour) },
        DayOfMonth = { DayOfMonth.Parse(calendar.DayOfMonth) },
        Month = { Month.Parse(calendar.Month) },
        Year = { Year.Parse(calendar.Year) },
        DayOfWeek = { DayOfWeek.Parse(calendar.DayOfWeek) },
        Comment = calendar.Comment,
    };
}
