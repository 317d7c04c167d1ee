using System.Diagnostics;

namespace Payments.Api.Demo;

/// <summary>
/// <c>dotnet run --project api -- demo [--ci] [--api …] [--ui …]</c>: runs the demo program (<c>demo/Payments.Demo</c>)
/// from this repository, with the same configuration, passing the options on. The demo is a client of the platform
/// (it starts this API as a process of its own), so the API runs it rather than holding a copy of it.
/// </summary>
internal static class DemoCommand
{
    public const string Verb = "demo";

    public static async Task<int> RunAsync(IEnumerable<string> demoArguments)
    {
        if (FindDemoProject() is not { } project)
        {
            await Console.Error.WriteLineAsync(
                $"The demo needs this repository's sources (demo/Payments.Demo above {AppContext.BaseDirectory}): run it from a clone with `dotnet run --project api -- demo`.");
            return 2;
        }
        // This program runs from <repo>/api/bin/<configuration>/<framework>/: the demo is built the same way.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in new[] { "run", "--project", project, "--configuration", configuration, "--" }.Concat(demoArguments))
        {
            start.ArgumentList.Add(argument);
        }
        using var demo = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        await demo.WaitForExitAsync();
        return demo.ExitCode;
    }

    private static string? FindDemoProject()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var project = Path.Combine(folder.FullName, "demo", "Payments.Demo", "Payments.Demo.csproj");
            if (File.Exists(project))
            {
                return project;
            }
        }
        return null;
    }
}
