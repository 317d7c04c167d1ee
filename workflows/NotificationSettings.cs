using Microsoft.Extensions.Options;
using Payments.Domain;
using Temporalio.Activities;

namespace Payments.Workflows;

/// <summary>The notification schedule as the workflow uses it: the delay before each slot, and how many attempts one run may make.</summary>
public sealed record NotificationSettings(IReadOnlyList<TimeSpan> Schedule, int AttemptsPerRun)
{
    /// <summary>When scheduled attempt <paramref name="slot"/> is due, counted from <paramref name="slotBase"/> (the previous one's start); null past the last.</summary>
    public DateTimeOffset? SlotAt(int slot, DateTimeOffset slotBase) => slot < Schedule.Count ? slotBase + Schedule[slot] : null;
}

/// <summary>Configuration section <c>Payments:Notify</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Payments:Notify";
    public const string DefaultSchedule = "0s,4m,10m,10m,1h,2h,6h,15h";

    /// <summary>Comma-separated delays, each counted from the start of the previous scheduled attempt (units s, m, h, d).</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>After this many attempts a run continues as new, so a long schedule never grows one history without bound.</summary>
    public int AttemptsPerRun { get; set; } = 50;

    public NotificationSettings ToSettings() => new(ParseSchedule(Schedule), AttemptsPerRun);

    public static IReadOnlyList<TimeSpan> ParseSchedule(string schedule) => DelayList.Parse(schedule);
}

/// <summary>Workflows cannot read configuration; the notification workflow asks for its schedule through this activity once.</summary>
public sealed class NotificationSettingsActivities(IOptions<NotificationOptions> options)
{
    [Activity]
    public NotificationSettings GetNotificationSettings() => options.Value.ToSettings();
}
