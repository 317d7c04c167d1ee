using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Payments.PgCluster;

/// <summary>
/// Throw-away clusters record their owning process; a cluster whose owner is gone (a killed test run) is
/// stopped and deleted by the next run, so an interrupted run never leaves a server behind for long.
/// </summary>
internal static class AbandonedClusters
{
    private const string OwnerFile = "owner";

    /// <summary>The temp folder every run's clusters live in, writable by every user like /tmp itself.</summary>
    public static string SharedRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "payments-pg");
        if (Directory.Exists(root))
        {
            return root;
        }
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
                UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
        }
        return root;
    }

    public static void MarkOwned(string folder)
    {
        using var self = Process.GetCurrentProcess();
        File.WriteAllText(Path.Combine(folder, OwnerFile),
            $"{self.Id} {self.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}");
    }

    public static async Task SweepAsync(string root, PostgresBinaries binaries, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var folder in Directory.GetDirectories(root))
        {
            if (OwnerIsAlive(folder))
            {
                continue;
            }
            logger.LogInformation("Removing PostgreSQL cluster {Folder} left by a run that is gone", folder);
            await PostgresCluster.TryStopAsync(binaries, Path.Combine(folder, "data"), "immediate", cancellationToken);
            Delete(folder);
        }
    }

    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A concurrent sweep got there first.
        }
        catch (UnauthorizedAccessException)
        {
            // Left by another user: not ours to delete.
        }
    }

    private static bool OwnerIsAlive(string folder)
    {
        string[] owner;
        try
        {
            owner = File.ReadAllText(Path.Combine(folder, OwnerFile)).Split(' ');
        }
        catch (IOException)
        {
            // Being created right now by a concurrent run, or never marked: leave it to its creator.
            return Directory.GetCreationTimeUtc(folder) > DateTime.UtcNow.AddMinutes(-10);
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        if (owner.Length != 2 || !int.TryParse(owner[0], out var pid) || !long.TryParse(owner[1], out var startTicks))
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            // A recycled pid belongs to a process that started at another time.
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - startTicks) < TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
