using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Payments.Api.Tests;

/// <summary>The API as a user runs it: its own process, real HTTP on a loopback port, embedded mode in a temp data folder.</summary>
internal sealed partial class ApiProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output;

    private readonly bool _ownsDataFolder;

    private ApiProcess(Process process, System.Text.StringBuilder output, Uri baseAddress, string dataFolder, bool ownsDataFolder)
    {
        _ownsDataFolder = ownsDataFolder;
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        DataFolder = dataFolder;
    }

    public Uri BaseAddress { get; }

    public string DataFolder { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far: its logs.</summary>
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

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <param name="dataFolder">Where the embedded mode keeps its state; a fresh temp folder, deleted on dispose, when null.</param>
    /// <param name="settings">Extra environment variables (configuration), e.g. <c>Payments__Notify__Schedule</c>.</param>
    public static async Task<ApiProcess> StartAsync(string? dataFolder = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var ownsDataFolder = dataFolder is null;
        dataFolder ??= Path.Combine(Path.GetTempPath(), $"payments-api-{Guid.NewGuid():N}");
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var startInfo = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Payments.Api"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ASPNETCORE_URLS"] = baseAddress.ToString(),
                ["Embedded__DataFolder"] = dataFolder,
                // Tests run side by side: never the fixed 7233/8233 a person's run command uses.
                ["Embedded__TemporalPort"] = "0",
                ["Embedded__UiPort"] = "0",
            },
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the API.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var api = new ApiProcess(process, output, baseAddress, dataFolder, ownsDataFolder);
        using var client = api.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await client.GetAsync(new Uri("/health/live", UriKind.Relative))).IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        await api.DisposeAsync();
        lock (output)
        {
            throw new InvalidOperationException($"The API did not become live:{Environment.NewLine}{output}");
        }
    }

    /// <summary>Asks the API to stop as Ctrl+C or a container runtime would, and waits for it.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
        }
        // Also when it had exited already: the wait drains what it wrote, which a refused start's message is in.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>SIGKILL: the process dies at once, as in a power cut; what it started is left behind as it was.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigKill);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            _process.Dispose();
            if (_ownsDataFolder && Directory.Exists(DataFolder))
            {
                Directory.Delete(DataFolder, recursive: true);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
