using System.Globalization;

namespace Payments.Domain;

/// <summary>The settings' lists of delays, comma-separated with a unit each (<c>0s,4m,10m,1h,1d</c>): the notify and bank query schedules.</summary>
public static class DelayList
{
    public static IReadOnlyList<TimeSpan> Parse(string list)
    {
        var delays = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(ParseDelay).ToArray();
        return delays.Length > 0 ? delays : throw new FormatException("The list of delays is empty.");
    }

    public static bool IsValid(string? list)
    {
        try
        {
            Parse(list ?? "");
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
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
