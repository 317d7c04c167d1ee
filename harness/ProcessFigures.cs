using System.Globalization;

namespace Payments.Harness;

/// <summary>CPU time and memory of a process from <c>/proc</c>: Linux only, like the platform's deployment.</summary>
public sealed record ProcessFigures(double CpuSeconds, long RssBytes, long PeakRssBytes)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    public static ProcessFigures Zero { get; } = new(0, 0, 0);

    /// <summary>The process's own CPU and that of its children it has waited for (PostgreSQL's exited backends).</summary>
    public static ProcessFigures Of(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which may hold spaces: state is field 3, utime 14 … cstime 17.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return new ProcessFigures(ticks / TicksPerSecond, Kibibytes(status, "VmRSS:") * 1024, Kibibytes(status, "VmHWM:") * 1024);
        }
        catch (IOException)
        {
            return Zero; // the process is gone
        }
    }

    /// <summary>A process and its live children added up (PostgreSQL: the postmaster and its backends); peak is the largest one's.</summary>
    public static ProcessFigures OfTree(int pid)
    {
        var total = Of(pid);
        foreach (var child in Children(pid))
        {
            var figures = Of(child);
            total = new ProcessFigures(total.CpuSeconds + figures.CpuSeconds, total.RssBytes + figures.RssBytes, Math.Max(total.PeakRssBytes, figures.PeakRssBytes));
        }
        return total;
    }

    public static IReadOnlyList<int> Children(int pid)
    {
        var path = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(path)
            ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToList()
            : [];
    }

    private static long Kibibytes(string[] status, string field) =>
        status.FirstOrDefault(line => line.StartsWith(field, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
            : 0;
}
