using System.CommandLine;
using Payments.EndToEnd.Benchmarks;

var payments = new Option<int>("--payments") { Description = "Payments in the burst and in the baseline (default 1000).", DefaultValueFactory = _ => 1_000 };
var openLoop = new Option<int?>("--open-loop-payments") { Description = "Payments arriving open-loop at 25 % of the burst's rate (default payments / 4, at least 40)." };
var concurrency = new Option<int>("--concurrency") { Description = "Signed callbacks (and creations) in flight at once, on keep-alive connections (default 20).", DefaultValueFactory = _ => 20 };
var json = new Option<bool>("--json") { Description = "Print the figures as JSON on stdout (the progress goes to stderr)." };

var root = new RootCommand("End-to-end: payments created and paid through the real API, worker, devserver (durable) and PostgreSQL, next to the same effects done directly.")
{
    payments, openLoop, concurrency, json,
};
root.SetAction((parse, cancellationToken) =>
{
    var count = parse.GetValue(payments);
    var settings = new RunSettings(count, parse.GetValue(openLoop) ?? Math.Max(40, count / 4), parse.GetValue(concurrency), parse.GetValue(json),
        string.Join(' ', ["dotnet run -c Release --project benchmarks/Payments.EndToEnd.Benchmarks --", .. args]));
    return EndToEndRun.RunAsync(settings, cancellationToken);
});
return await root.Parse(args).InvokeAsync();
