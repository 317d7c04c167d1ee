using Microsoft.Extensions.Logging;
using Payments.DevServer;

var options = CommandLine.Parse(args);
await using var server = await TemporalDevServer.StartAsync(options, logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
Console.WriteLine($"Temporal-compatible devserver listening on {server.Target}{(server.UiAddress is null ? "" : $", Web UI and HTTP API on {server.UiAddress}")} (namespace {options.Namespace}, {(options.DatabaseFile is null ? "in memory" : options.DatabaseFile)}{(options.TimeSkipping ? ", time-skipping" : "")})");
await server.WaitForShutdownAsync();
