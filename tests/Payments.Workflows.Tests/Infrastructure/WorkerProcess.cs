using System.Diagnostics;
using System.Text;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>
/// The standalone worker (<c>Payments.Workers.dll</c>, copied next to the tests) as its own process. It runs on the test
/// assembly's runtime config and dependency list: the test project's ASP.NET Core framework reference moves shared
/// assemblies (Microsoft.Extensions.Hosting…) out of this folder, which the worker's own runtime config does not name.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="settings">Extra environment variables (configuration), which win over the defaults here.</param>
    public static WorkerProcess Start(string temporalAddress, string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var folder = AppContext.BaseDirectory;
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList =
            {
                "exec",
                "--runtimeconfig", Path.Combine(folder, "Payments.Workflows.Tests.runtimeconfig.json"),
                "--depsfile", Path.Combine(folder, "Payments.Workflows.Tests.deps.json"),
                Path.Combine(folder, "Payments.Workers.dll"),
            },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["DOTNET_ENVIRONMENT"] = "Development",
                ["Temporal__Address"] = temporalAddress,
                ["ConnectionStrings__Payments"] = connectionString,
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        var worker = new WorkerProcess(Process.Start(startInfo) ?? throw new InvalidOperationException("The worker did not start."));
        worker._process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL: no graceful shutdown, whatever it was doing is cut off.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for a worker that stops on its own (a start-up error); true when it did within <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }
        // The timed wait does not wait for the output's last lines, which a refused start's message is in; this one does.
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
