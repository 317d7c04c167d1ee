using Xunit.Abstractions;

namespace Payments.Chaos.Tests;

/// <summary>
/// CI's chaos run: 300 payments on two platforms with one kill of each kind (worker, whole embedded platform, its
/// PostgreSQL), misbehaving merchants, frozen parties resolved by RETRY and REFUND (some refused by the bank first, some
/// contested), lost callbacks, expiries and debits after the close; every invariant must hold.
/// </summary>
public sealed class ChaosRun_Specs(ITestOutputHelper output)
{
    [Fact]
    public async Task ChaosRun_CiScale_EveryInvariantHolds()
    {
        var checks = await ChaosRun.RunAsync(new ChaosSettings(Payments: 300, Kills: 1, Ci: true), output.WriteLine);

        foreach (var check in checks)
        {
            output.WriteLine($"{(check.Held ? "HELD  " : "BROKEN")} {check.Phase} {check.Invariant}: {check.Seen}");
        }
        Assert.All(checks, check => Assert.True(check.Held, $"{check.Phase}: {check.Invariant}: {check.Seen}"));
    }
}
