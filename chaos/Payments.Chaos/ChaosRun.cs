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
            await using var bank = await LoopbackBank.StartAsync();
            var platformSettings = new Dictionary<string, string>
            {
                ["Payments__Notify__Schedule"] = ChaosSettings.NotifySchedule,
                ["Payments__Bank__RefundUrl"] = bank.RefundUrl.ToString(),
                ["Payments__Bank__QueryUrl"] = bank.QueryUrl.ToString(),
                ["Payments__Bank__QuerySchedule"] = ChaosSettings.QuerySchedule,
                ["Payments__Orders__ExpireAfter"] = ChaosSettings.ExpireAfter,
            };
            log($"Starting both platforms under {folder}");
            await using var deployed = await DistributedPlatform.StartAsync(Path.Combine(folder, "deployed"), platformSettings, cancellationToken);
            await using var embedded = await EmbeddedPlatformProcess.StartAsync(Path.Combine(folder, "embedded", "data"), platformSettings, cancellationToken);

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
                new ChaosPhase(deployedTarget, settings, merchant, bank, log).RunAsync(half, cancellationToken),
                new ChaosPhase(embeddedTarget, settings, merchant, bank, log).RunAsync(settings.Payments - half, cancellationToken));
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

    private static async Task KillAsync(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
