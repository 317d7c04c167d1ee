using Google.Protobuf.WellKnownTypes;
using Payments.DevServer.Engine;
using Temporalio.Api.Schedule.V1;

namespace Payments.DevServer.Schedules;

/// <summary>One action time of a schedule: when the spec says (nominal) and when it fires once jittered (actual).</summary>
internal readonly record struct ActionTime(DateTime Nominal, DateTime Actual);

/// <summary>
/// A schedule spec ready to answer "what is the next action time after t": the union of its calendars and intervals,
/// minus the excluded calendars, within start/end time, jittered deterministically (as Temporal does, never past the
/// following nominal time).
/// </summary>
internal sealed class CompiledSpec
{
    private readonly ScheduleSpec _spec;
    private readonly List<CompiledCalendar> _calendars;
    private readonly List<CompiledCalendar> _excluded;
    private readonly TimeZoneInfo _zone;

    private CompiledSpec(ScheduleSpec canonical)
    {
        _spec = canonical;
        _calendars = canonical.StructuredCalendar.Select(calendar => new CompiledCalendar(calendar)).ToList();
        _excluded = canonical.ExcludeStructuredCalendar.Select(calendar => new CompiledCalendar(calendar)).ToList();
        _zone = FindZone(canonical.TimezoneName);
    }

    /// <summary>Compiles a spec already in canonical form (see <see cref="Canonicalize"/>).</summary>
    public static CompiledSpec Compile(ScheduleSpec canonical) => new(canonical);

    /// <summary>
    /// Temporal's stored form of a spec: cron strings and string calendars become structured calendars (and
    /// intervals, for "@every"), so describe shows what will actually be matched. Throws FormatException on bad input.
    /// </summary>
    public static ScheduleSpec Canonicalize(ScheduleSpec spec)
    {
        var canonical = spec.Clone();
        canonical.CronString.Clear();
        canonical.Calendar.Clear();
        canonical.ExcludeCalendar.Clear();
        foreach (var cron in spec.CronString)
        {
            var parsed = CronExpression.Parse(cron);
            if (parsed.Calendar is { } calendar)
            {
                canonical.StructuredCalendar.Add(calendar);
            }
            if (parsed.Interval is { } interval)
            {
                canonical.Interval.Add(interval);
            }
            if (parsed.TimeZone is { } zone)
            {
                canonical.TimezoneName = zone;
            }
        }
        canonical.StructuredCalendar.Add(spec.Calendar.Select(CalendarField.ToStructured));
        canonical.ExcludeStructuredCalendar.Add(spec.ExcludeCalendar.Select(CalendarField.ToStructured));
        foreach (var interval in canonical.Interval)
        {
            var every = interval.Interval.ToTimeSpanOrZero();
            var phase = interval.Phase.ToTimeSpanOrZero();
            if (every < TimeSpan.FromSeconds(1) || phase < TimeSpan.Zero || phase >= every)
            {
                throw new FormatException("interval must be at least 1s and its phase within [0, interval)");
            }
        }
        FindZone(canonical.TimezoneName);
        return canonical;
    }

    /// <summary>The next action time strictly after <paramref name="after"/>, or null when the spec has no more.</summary>
    public ActionTime? Next(DateTime after)
    {
        if (_spec.StartTime is { } startTime && after < startTime.ToDateTime())
        {
            after = startTime.ToDateTime().AddTicks(-1);
        }
        DateTime? nominal;
        do
        {
            nominal = RawNext(after);
            if (nominal is null || _spec.EndTime is { } end && nominal > end.ToDateTime())
            {
                return null;
            }
            after = nominal.Value;
        }
        while (IsExcluded(nominal.Value));
        var maxJitter = _spec.Jitter.ToTimeSpanOrZero();
        if (RawNext(nominal.Value) is { } following && following - nominal.Value < maxJitter)
        {
            maxJitter = following - nominal.Value;
        }
        return new ActionTime(nominal.Value, nominal.Value + Jitter(nominal.Value, maxJitter));
    }

    /// <summary>Every action time that fires in (after, until].</summary>
    public IEnumerable<ActionTime> Between(DateTime after, DateTime until)
    {
        while (Next(after) is { } next && next.Actual <= until)
        {
            yield return next;
            after = next.Actual;
        }
    }

    private DateTime? RawNext(DateTime after)
    {
        DateTime? best = null;
        foreach (var calendar in _calendars)
        {
            if (calendar.Next(after, _zone) is { } next && (best is null || next < best))
            {
                best = next;
            }
        }
        foreach (var interval in _spec.Interval)
        {
            var every = interval.Interval.ToTimeSpan().Ticks;
            var phase = interval.Phase.ToTimeSpanOrZero().Ticks;
            var sinceEpoch = after.Ticks - DateTime.UnixEpoch.Ticks;
            var next = new DateTime(DateTime.UnixEpoch.Ticks + ((sinceEpoch - phase) / every + 1) * every + phase, DateTimeKind.Utc);
            if (best is null || next < best)
            {
                best = next;
            }
        }
        return best;
    }

    private bool IsExcluded(DateTime nominal)
    {
        if (_excluded.Count == 0)
        {
            return false;
        }
        var local = TimeZoneInfo.ConvertTimeFromUtc(nominal, _zone);
        return _excluded.Any(calendar => calendar.Matches(local));
    }

    /// <summary>A pseudo-random but repeatable share of the allowed jitter, so a restart does not move an action.</summary>
    private static TimeSpan Jitter(DateTime nominal, TimeSpan maxJitter)
    {
        var milliseconds = (long)maxJitter.TotalMilliseconds;
        if (milliseconds <= 0)
        {
            return TimeSpan.Zero;
        }
        // FNV-1a over the nominal time: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var tickByte in BitConverter.GetBytes(nominal.Ticks))
        {
            hash = (hash ^ tickByte) * 16777619u;
        }
        return TimeSpan.FromMilliseconds(hash % milliseconds);
    }

    private static TimeZoneInfo FindZone(string? name) =>
        string.IsNullOrEmpty(name) || name == "UTC" ? TimeZoneInfo.Utc
        : TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone
        : throw new FormatException($"unknown time zone \"{name}\"");
}
