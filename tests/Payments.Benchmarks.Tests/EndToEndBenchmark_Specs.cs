using System.Diagnostics;
using System.Text.Json;
using Payments.EndToEnd.Benchmarks;
using Xunit.Abstractions;

namespace Payments.Benchmarks.Tests;

/// <summary>
/// CI's size of the end-to-end benchmark: the program runs as its README says, completes every payment on both sides
/// and prints every figure. What the figures are is for the README, not for a test.
/// </summary>
public sealed class EndToEndBenchmark_Specs(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_TwentyPayments_CompletesThemOnBothSidesAndPrintsEveryFigure()
    {
        var program = Path.Combine(AppContext.BaseDirectory, "Payments.EndToEnd.Benchmarks.dll");
        using var benchmark = Process.Start(new ProcessStartInfo("dotnet", [program, "--payments", "20", "--open-loop-payments", "10", "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var figures = benchmark.StandardOutput.ReadToEndAsync();
        var progress = benchmark.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await benchmark.WaitForExitAsync(patience.Token);
        output.WriteLine(await progress);

        Assert.Equal(0, benchmark.ExitCode);
        var report = JsonSerializer.Deserialize<Report>(await figures)!;
        Assert.Equal((20, 10), (report.Payments, report.OpenLoopPayments));
        Assert.All(
            new[] { report.CompletedPerSecond, report.BaselineCompletedPerSecond, report.OpenLoopCallbackToPaidMs.P99, report.WorkflowTasksPerPayment, report.DatabaseTransactionsPerPayment },
            figure => Assert.True(figure > 0, "every figure measured"));
        Assert.Equal(["API", "worker", "devserver", "PostgreSQL"], report.Processes.Select(process => process.Process));
        Assert.All(report.Processes, process => Assert.True(process.PeakRssMiB > 0 && process.CpuSeconds > 0, $"{process.Process} measured"));
    }
}
