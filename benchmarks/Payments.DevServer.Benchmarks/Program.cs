using System.CommandLine;
using Payments.DevServer.Benchmarks;

var quick = new Option<bool>("--quick") { Description = "A small run of seconds, to check that the program works." };
var trivialCount = new Option<int?>("--trivial-count") { Description = "Trivial workflows measured per mode (default 5000; quick 200)." };
var activityCount = new Option<int?>("--activity-count") { Description = "3-activity workflows measured per mode (default 2000; quick 100)." };
var concurrency = new Option<int?>("--concurrency") { Description = "Workflows in flight at once (default 50)." };
var idleCount = new Option<int?>("--idle-count") { Description = "Idle workflows on a timer for the memory figure (default 100000; quick 1000)." };

var root = new RootCommand("Throughput, latency and idle memory of the Payments devserver, driven by the real Temporalio SDK client and worker.")
{
    quick, trivialCount, activityCount, concurrency, idleCount,
};
root.SetAction((parse, _) =>
{
    var isQuick = parse.GetValue(quick);
    var settings = new BenchmarkSettings(
        isQuick,
        parse.GetValue(trivialCount) ?? (isQuick ? 200 : 5_000),
        parse.GetValue(activityCount) ?? (isQuick ? 100 : 2_000),
        parse.GetValue(concurrency) ?? 50,
        parse.GetValue(idleCount) ?? (isQuick ? 1_000 : 100_000));
    var commandLine = string.Join(' ', ["dotnet run -c Release --project benchmarks/Payments.DevServer.Benchmarks --", .. args]);
    return BenchmarkRun.RunAsync(settings, commandLine);
});
return await root.Parse(args).InvokeAsync();
