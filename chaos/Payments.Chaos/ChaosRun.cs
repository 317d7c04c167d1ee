using Payments.Harness;

namespace Payments.Chaos;

/// <summary>
/// The chaos run: two platforms at once, each taking half the payments — the deployed shape (API, standalone worker,
/// devserver, PostgreSQL) whose worker is SIGKILLed and restarted again and again, and the run command's embedded
/// platform whose PostgreSQL is killed (its supervision restarts it) and which is itself SIGKILLed and restarted —
/// with unreliable and failing merchant endpoints, frozen parties and an operator resolving what suspends.
/// </summary>
public static class ChaosRun
{
    public static async Task<IReadOnlyList<Check>> RunAsync(ChaosSettings settings, Action<string> log, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"payments-chaos-{Guid.NewGuid():N}");
        try
        {
            await using var merchant = await LoopbackMerchant.StartAsync();
            // A bank per platform, so each one's refunds and queries are checked against its own payments.
            await using var deployedBank = await LoopbackBank.StartAsync();
            await using var embeddedBank = await LoopbackBank.StartAsync();
            log($"Starting both platforms under {folder}");
            var deployedStart = DistributedPlatform.StartAsync(Path.Combine(folder, "deployed"), PlatformSettings(deployedBank), cancellationToken);
            var embeddedStart = EmbeddedPlatformProcess.StartAsync(Path.Combine(folder, "embedded", "data"), PlatformSettings(embeddedBank), cancellationToken);
            await WhenBothStartedAsync(deployedStart, embeddedStart);
            await using var deployed = await deployedStart;
            await using var embedded = await embeddedStart;
            log("Both platforms ready");

            var deployedTarget = new Target("deployed", deployed.ApiAddress, () => deployed.ConnectionString, () => deployed.TemporalAddress,
                () => new Dictionary<string, int> { ["API"] = deployed.Api.Id, ["worker"] = deployed.Worker.Id },
                [.. Enumerable.Range(0, settings.Kills).Select(_ => new Fault("(a) worker SIGKILLed and restarted", deployed.KillAndRestartWorkerAsync))]);
            var embeddedTarget = new Target("embedded", embedded.ApiAddress, () => embedded.ConnectionString, () => embedded.TemporalAddress,
                () => new Dictionary<string, int> { ["platform"] = embedded.Api.Id },
                [.. Enumerable.Range(0, settings.Kills).SelectMany(_ => new[]
                {
                    new Fault("(c) PostgreSQL postmaster SIGKILLed (the platform restarts it)", () => KillAsync(embedded.PostgresPid)),
                    new Fault("(b) whole embedded platform SIGKILLed and restarted", () => embedded.KillAndRestartAsync(cancellationToken)),
                })]);

            var half = settings.Payments / 2;
            var results = await Task.WhenAll(
                new ChaosPhase(deployedTarget, settings, merchant, deployedBank, log).RunAsync(half, cancellationToken),
                new ChaosPhase(embeddedTarget, settings, merchant, embeddedBank, log).RunAsync(settings.Payments - half, cancellationToken));
            return [.. results.SelectMany(checks => checks)];
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The short schedules of the run and where its bank answers.</summary>
    private static Dictionary<string, string> PlatformSettings(LoopbackBank bank) => new()
    {
        ["Payments__Notify__Schedule"] = ChaosSettings.NotifySchedule,
        ["Payments__Bank__RefundUrl"] = bank.RefundUrl.ToString(),
        ["Payments__Bank__QueryUrl"] = bank.QueryUrl.ToString(),
        ["Payments__Bank__QuerySchedule"] = ChaosSettings.QuerySchedule,
        ["Payments__Orders__ExpireAfter"] = ChaosSettings.ExpireAfter,
    };

    /// <summary>Both platforms start at once; when one fails, the other is stopped before the failure is thrown.</summary>
    private static async Task WhenBothStartedAsync(Task<DistributedPlatform> deployed, Task<EmbeddedPlatformProcess> embedded)
    {
        try
        {
            await Task.WhenAll(deployed, embedded);
        }
        catch
        {
            if (deployed.IsCompletedSuccessfully)
            {
                await deployed.Result.DisposeAsync();
            }
            if (embedded.IsCompletedSuccessfully)
            {
                await embedded.Result.DisposeAsync();
            }
            throw;
        }
    }

    private static async Task KillAsync(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
