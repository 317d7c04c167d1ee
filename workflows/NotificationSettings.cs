using System.Globalization;
using Microsoft.Extensions.Options;
using Temporalio.Activities;

namespace Payments.Workflows;

/// <summary>The notification schedule as the workflow uses it: the delay before each slot, and how many attempts one run may make.</summary>
public sealed record NotificationSettings(IReadOnlyList<TimeSpan> Schedule, int AttemptsPerRun);

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

    public static IReadOnlyList<TimeSpan> ParseSchedule(string schedule)
    {
        var delays = schedule.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseDelay).ToArray();
        return delays.Length > 0 ? delays : throw new FormatException("The notification schedule has no slot.");
    }

    private static TimeSpan ParseDelay(string delay)
    {
        var unit = delay[^1];
        if (!long.TryParse(delay.AsSpan(0, delay.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{delay}' is not a delay like 0s, 4m, 1h or 1d.");
        }
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new FormatException($"'{delay}' has no unit s, m, h or d."),
        };
    }
}

/// <summary>Workflows cannot read configuration; the notification workflow asks for its schedule through this activity once.</summary>
public sealed class NotificationSettingsActivities(IOptions<NotificationOptions> options)
{
    [Activity]
    public NotificationSettings GetNotificationSettings() => options.Value.ToSettings();
}
