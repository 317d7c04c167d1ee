namespace Payments.Chaos;

/// <param name="Payments">Payments in all, split between the two platforms.</param>
/// <param name="Kills">How many times each kind of kill is injected on its platform.</param>
/// <param name="Ci">CI's run: less patience for the payments to end (3 minutes rather than 10).</param>
public sealed record ChaosSettings(int Payments, int Kills, bool Ci)
{
    /// <summary>Npgsql's default minimum pool size, which the platform keeps.</summary>
    public const int PoolMinimum = 0;

    /// <summary>The wait between the end of the run and the resource checks, CI's run included.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(60);

    public TimeSpan FinalPatience => TimeSpan.FromMinutes(Ci ? 3 : 10);

    /// <summary>Short, so a failing endpoint is given up within the run: 4 attempts over about 6 s.</summary>
    public const string NotifySchedule = "0s,1s,2s,3s";

    /// <summary>A lost callback is asked for 10 s after its order's creation (and again at expiry).</summary>
    public const string QuerySchedule = "10s";

    /// <summary>
    /// An unpaid order closes 40 s after its creation: the run's orders are all created and debited well before that, so
    /// only the ones the bank never debited close.
    /// </summary>
    public const string ExpireAfter = "00:00:40";
}
