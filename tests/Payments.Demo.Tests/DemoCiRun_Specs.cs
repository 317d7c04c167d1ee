using System.Diagnostics;
using Payments.Harness;
using Xunit.Abstractions;

namespace Payments.Demo.Tests;

/// <summary>The demo as CI runs it: a process of its own, no terminal, its own platform; it must end with every invariant held.</summary>
public sealed class DemoCiRun_Specs(ITestOutputHelper output)
{
    [Fact]
    public async Task Demo_CiMode_PlaysEveryPathAndEveryInvariantHolds()
    {
        var startInfo = new ProcessStartInfo(PlatformPrograms.Demo)
        {
            WorkingDirectory = Path.GetDirectoryName(PlatformPrograms.Demo)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("--ci");
        using var demo = Process.Start(startInfo)!;
        var stdout = demo.StandardOutput.ReadToEndAsync();
        var stderr = demo.StandardError.ReadToEndAsync();
        await demo.WaitForExitAsync();
        var shown = await stdout;
        output.WriteLine(shown);
        output.WriteLine(await stderr);

        Assert.Equal(0, demo.ExitCode);
        Assert.Contains("Every invariant held", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("BROKEN", shown, StringComparison.Ordinal);
        Assert.Contains("frozen merchant: the payment ends PAID", shown, StringComparison.Ordinal);
        Assert.Contains("lost callback: the payment ends PAID", shown, StringComparison.Ordinal);
        Assert.Contains("unpaid: the payment ends CLOSED", shown, StringComparison.Ordinal);
        Assert.Contains("every notification the merchant received was signed with its secret", shown, StringComparison.Ordinal);
        Assert.Contains("merchant balance = the paid payments' net amounts, nothing pending", shown, StringComparison.Ordinal);
        Assert.Contains("user points = the paid payments' points, nothing pending", shown, StringComparison.Ordinal);
    }
}
