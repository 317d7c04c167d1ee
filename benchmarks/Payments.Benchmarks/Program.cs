using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Payments.Activities.Database;
using Payments.Activities.Funds;
using Payments.Activities.Merchants;
using Payments.Activities.Points;
using Payments.Activities.Tcc;
using Payments.Benchmarks;
using Payments.Domain;
using Payments.PgCluster;

// Throughput of TCC try + confirm on both accounts (fund credit and points award) per payment, with the barrier
// (the product's activities) and without it (the same statements, no barrier rows), in one run on a private cluster.
// Usage: Payments.Benchmarks [payments per round, default 2000] [parallel callers, default 8] [rounds, default 3] [--no-fsync]
// By default the cluster commits durably (fsync on), as in production; --no-fsync uses the tests' throw-away cluster.
var durable = !args.Contains("--no-fsync");
args = [.. args.Where(arg => arg != "--no-fsync")];
var paymentsPerRound = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000;
var parallelism = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
const int Accounts = 32;

var folder = Path.Combine(Path.GetTempPath(), $"payments-bench-{Guid.NewGuid():N}");
await using var cluster = durable ? await PostgresCluster.StartPersistentAsync(folder) : await PostgresCluster.StartEphemeralAsync();
await cluster.CreateDatabaseAsync("bench");
// Auto-prepare, as a production data source would: both sides skip re-planning their statements.
var connectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("bench")) { MaxAutoPrepare = 32 }.ConnectionString;
await PaymentsDatabase.MigrateAsync(connectionString);
await using var dataSource = NpgsqlDataSource.Create(connectionString);

var merchants = new MerchantStore(dataSource, NullLogger<MerchantStore>.Instance);
var users = new UserStore(dataSource, NullLogger<UserStore>.Instance);
for (var i = 0; i < Accounts; i++)
{
    await merchants.CreateAsync(new NewMerchant($"m{i}", "Bench merchant", "CNY"));
    await users.CreateAsync($"u{i}", "Bench user");
}

var funds = new FundAccountActivities(dataSource, NullLogger<FundAccountActivities>.Instance);
var points = new PointsActivities(dataSource, NullLogger<PointsActivities>.Instance);
var plainFunds = new PlainTccAccount(dataSource, FundAccountActivities.Table);
var plainPoints = new PlainTccAccount(dataSource, PointsActivities.Table);

async Task WithBarrier(TccRequest credit, TccRequest award)
{
    await funds.TryCreditAsync(credit);
    await points.TryAwardAsync(award);
    await funds.ConfirmCreditAsync(credit);
    await points.ConfirmAwardAsync(award);
}

async Task WithoutBarrier(TccRequest credit, TccRequest award)
{
    await plainFunds.TryAsync(credit);
    await plainPoints.TryAsync(award);
    await plainFunds.ConfirmAsync(credit);
    await plainPoints.ConfirmAsync(award);
}

async Task<double> MeasureAsync(string label, Func<TccRequest, TccRequest, Task> payment)
{
    var next = -1;
    var stopwatch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, parallelism).Select(_ => Task.Run(async () =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < paymentsPerRound)
        {
            var paymentId = $"{label}-{Guid.NewGuid():N}";
            var amounts = PaymentAmounts.Of(100 + n, Money.DefaultFeeBps);
            await payment(
                new TccRequest(paymentId, 1, $"m{n % Accounts}", amounts.NetAmount),
                new TccRequest(paymentId, 1, $"u{n % Accounts}", amounts.Points));
        }
    })));
    return paymentsPerRound / stopwatch.Elapsed.TotalSeconds;
}

Console.WriteLine(
    $"TCC try+confirm, fund account and points account per payment: {paymentsPerRound} payments per round, {parallelism} callers, " +
    $"{Accounts} accounts each, {rounds} rounds, {(durable ? "durable commits" : "fsync off")}");
await MeasureAsync("warmup-barrier", WithBarrier);
await MeasureAsync("warmup-plain", WithoutBarrier);
var barrier = new List<double>();
var plain = new List<double>();
for (var round = 1; round <= rounds; round++)
{
    // Alternated, so drift (autovacuum, table growth) falls on both sides alike.
    barrier.Add(await MeasureAsync($"barrier{round}", WithBarrier));
    plain.Add(await MeasureAsync($"plain{round}", WithoutBarrier));
    Console.WriteLine($"round {round}: with barrier {barrier[^1],8:F0} payments/s   without {plain[^1],8:F0} payments/s");
}

var withBarrier = Median(barrier);
var withoutBarrier = Median(plain);
Console.WriteLine($"median with barrier:    {withBarrier,8:F0} payments/s ({withBarrier * 4:F0} TCC ops/s)");
Console.WriteLine($"median without barrier: {withoutBarrier,8:F0} payments/s ({withoutBarrier * 4:F0} TCC ops/s)");
Console.WriteLine($"barrier throughput ratio: {withBarrier / withoutBarrier:F3} (cost {(1 - (withBarrier / withoutBarrier)) * 100:F1} %)");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

// The durable cluster's folder is ours alone: remove it once the cluster has stopped.
await cluster.DisposeAsync();
if (durable)
{
    Directory.Delete(folder, recursive: true);
}
