using System.Diagnostics;
using Payments.Harness;
using Xunit.Abstractions;

namespace Payments.Demo.Tests;

/// <summary><c>dotnet run --project api -- demo</c>: the API's <c>demo</c> verb runs the demo program, passing its options on.</summary>
public sealed class ApiDemoVerb_Specs(ITestOutputHelper output)
{
    [Fact]
    public async Task Demo_Help_AnswersWithTheDemoProgramsOptions()
    {
        var startInfo = new ProcessStartInfo(PlatformPrograms.Api)
        {
            WorkingDirectory = Path.GetDirectoryName(PlatformPrograms.Api)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("demo");
        startInfo.ArgumentList.Add("--help");
        using var api = Process.Start(startInfo)!;
        var stdout = api.StandardOutput.ReadToEndAsync();
        var stderr = api.StandardError.ReadToEndAsync();
        await api.WaitForExitAsync();
        var shown = await stdout;
        output.WriteLine(shown);
        output.WriteLine(await stderr);

        Assert.Equal(0, api.ExitCode);
        Assert.Contains("The platform's story in one command", shown, StringComparison.Ordinal);
        Assert.Contains("--ci", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", shown, StringComparison.Ordinal);
    }
}
