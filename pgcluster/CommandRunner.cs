using System.Diagnostics;

namespace Payments.PgCluster;

/// <summary>Runs PostgreSQL's programs, as the <c>postgres</c> user when we are root (initdb refuses root).</summary>
internal static class CommandRunner
{
    public static bool IsRoot => Environment.UserName == "root";

    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = IsRoot
            ? new ProcessStartInfo("runuser") { ArgumentList = { "-u", "postgres", "--", program } }
            : new ProcessStartInfo(program);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = true;
        startInfo.UseShellExecute = false;

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new CommandFailedException(
                $"{Path.GetFileName(program)} {string.Join(' ', startInfo.ArgumentList.Skip(IsRoot ? 4 : 0))} exited with {process.ExitCode}: {output.Trim()}");
        }
        return output;
    }

    /// <summary>Gives a folder to the postgres user when we are root; an ordinary user owns what it creates.</summary>
    public static async Task GiveToServerUserAsync(string folder, CancellationToken cancellationToken)
    {
        if (!IsRoot)
        {
            return;
        }
        using var chown = Process.Start(new ProcessStartInfo("chown") { ArgumentList = { "-R", "postgres:postgres", folder } })
            ?? throw new InvalidOperationException("Could not start chown.");
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new CommandFailedException($"chown -R postgres:postgres {folder} exited with {chown.ExitCode}.");
        }
    }
}

public sealed class CommandFailedException(string message) : Exception(message);
