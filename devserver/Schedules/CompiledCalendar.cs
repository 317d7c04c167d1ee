using Temporalio.Api.Schedule.V1;

namespace Payments.DevServer.Schedules;

/// <summary>
/// A structured calendar ready to match: one set of allowed values per field (day of month and day of week must
/// both match, as in Temporal), searched field by field from the year down to the second.
/// </summary>
internal sealed class CompiledCalendar
{
    /// <summary>Beyond this, a calendar is taken to match nothing more (Temporal stops at 2100 too).</summary>
    private const int LastYear = 2100;

    private readonly bool[] _seconds;
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _daysOfMonth;
    private readonly bool[] _months;
    private readonly bool[] _daysOfWeek;
    private readonly IReadOnlyList<Temporalio.Api.Schedule.V1.Range> _years;

    public CompiledCalendar(StructuredCalendarSpec spec)
    {
        _seconds = Allowed(spec.Second, CalendarField.Second);
        _minutes = Allowed(spec.Minute, CalendarField.Minute);
        _hours = Allowed(spec.Hour, CalendarField.Hour);
        _daysOfMonth = Allowed(spec.DayOfMonth, CalendarField.DayOfMonth);
        _months = Allowed(spec.Month, CalendarField.Month);
        _daysOfWeek = Allowed(spec.DayOfWeek, CalendarField.DayOfWeek);
        if (_daysOfWeek[7])
        {
            _daysOfWeek[0] = true;
        }
        _years = spec.Year.ToList();
    }

    /// <summary>Whether this wall-clock time (to the second) is on the calendar.</summary>
    public bool Matches(DateTime local) =>
        YearMatches(local.Year) && _months[local.Month] && DayMatches(local) && _hours[local.Hour] && _minutes[local.Minute] && _seconds[local.Second];

    /// <summary>The first time on the calendar strictly after <paramref name="afterUtc"/>, or null when there is none.</summary>
    public DateTime? Next(DateTime afterUtc, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(afterUtc, zone);
        local = new DateTime(local.Ticks - local.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Unspecified).AddSeconds(1);
        while (local.Year <= LastYear)
        {
            if (!YearMatches(local.Year))
            {
                local = new DateTime(local.Year + 1, 1, 1);
            }
            else if (!_months[local.Month])
            {
                local = new DateTime(local.Year, local.Month, 1).AddMonths(1);
            }
            else if (!DayMatches(local))
            {
                local = local.Date.AddDays(1);
            }
            else if (!_hours[local.Hour])
            {
                local = local.Date.AddHours(local.Hour + 1);
            }
            else if (!_minutes[local.Minute])
            {
                local = local.Date.AddHours(local.Hour).AddMinutes(local.Minute + 1);
            }
            else if (!_seconds[local.Second])
            {
                local = local.AddSeconds(1);
            }
            else if (zone.IsInvalidTime(local))
            {
                // A wall-clock time skipped by a daylight-saving change never happens.
                local = local.AddSeconds(1);
            }
            else
            {
                var utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
                if (utc > afterUtc)
                {
                    return DateTime.SpecifyKind(utc, DateTimeKind.Utc);
                }
                local = local.AddSeconds(1);
            }
        }
        return null;
    }

    private bool YearMatches(int year) => _years.Count == 0 || _years.Any(range => InRange(range, year));

    private bool DayMatches(DateTime local) => _daysOfMonth[local.Day] && _daysOfWeek[(int)local.DayOfWeek];

    private static bool InRange(Temporalio.Api.Schedule.V1.Range range, int value)
    {
        var end = Math.Max(range.End, range.Start);
        var step = range.Step <= 0 ? 1 : range.Step;
        return value >= range.Start && value <= end && (value - range.Start) % step == 0;
    }

    private static bool[] Allowed(IReadOnlyCollection<Temporalio.Api.Schedule.V1.Range> ranges, CalendarField field)
    {
        var allowed = new bool[field.Max + 1];
        var effective = ranges.Count == 0 ? field.Parse(null) : ranges;
        foreach (var range in effective)
        {
            for (var value = Math.Max(range.Start, field.Min); value <= Math.Min(Math.Max(range.End, range.Start), field.Max); value++)
            {
                allowed[value] |= InRange(range, value);
            }
        }
        return allowed;
    }
}
