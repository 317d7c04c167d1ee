using System.CommandLine;
using Payments.Chaos;

var payments = new Option<int>("--payments") { Description = "Payments in all, half on each platform (default 300).", DefaultValueFactory = _ => 300 };
var kills = new Option<int?>("--kills") { Description = "Kills of each kind (default: one per 300 payments, at least one)." };
var ci = new Option<bool>("--ci") { Description = "CI's run: waits 3 minutes rather than 10 for the payments to end." };

var root = new RootCommand("Chaos run: payments in flight while workers, the platform and PostgreSQL are killed, merchants misbehave and parties are frozen; then every invariant.")
{
    payments, kills, ci,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var count = parse.GetValue(payments);
    var settings = new ChaosSettings(count, parse.GetValue(kills) ?? Math.Max(1, count / 300), parse.GetValue(ci));
    var started = DateTime.UtcNow;
    var checks = await ChaosRun.RunAsync(settings, line => Console.WriteLine($"[{DateTime.UtcNow - started:mm\\:ss}] {line}"), cancellationToken);
    foreach (var check in checks)
    {
        Console.WriteLine($"{(check.Held ? "HELD  " : "BROKEN")} {check.Phase,-9} {check.Invariant}: {check.Seen}");
    }
    Console.WriteLine($"{checks.Count(c => c.Held)} held, {checks.Count(c => !c.Held)} broken, in {DateTime.UtcNow - started:mm\\:ss}");
    return checks.All(c => c.Held) ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
