using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Payments.DevServer.Tests;

/// <summary>The devserver in durable mode as a process of its own, so a spec can SIGKILL it and start it again on the same file.</summary>
internal sealed class DurableServerProcess(Process process) : IDisposable
{
    public static async Task<DurableServerProcess> StartAsync(int port, string databaseFile)
    {
        var process = Process.Start(new ProcessStartInfo(TemporalDevServer.ExecutablePath)
        {
            ArgumentList = { "--port", port.ToString(), "--db-filename", databaseFile, "--headless" }, // no Web UI: it would take 8233
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        var server = new DurableServerProcess(process);
        var line = await process.StandardOutput.ReadLineAsync();
        Assert.Contains("listening", line, StringComparison.Ordinal);
        return server;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }
        process.Dispose();
    }
}
