using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Workflows;

namespace Payments.DevServer.Tests;

/// <summary>An in-process server launched from a command line (its own dynamic config), with the warnings it logs kept.</summary>
internal sealed class ConfiguredServer : IAsyncDisposable
{
    private readonly TemporalDevServer _server;

    private ConfiguredServer(TemporalDevServer server, ITemporalClient client, ConcurrentQueue<string> warnings)
    {
        _server = server;
        Client = client;
        Warnings = warnings;
    }

    public ITemporalClient Client { get; }

    public ConcurrentQueue<string> Warnings { get; }

    public static async Task<ConfiguredServer> StartAsync(params string[] dynamicConfigValues)
    {
        var args = new List<string> { "server", "start-dev", "--port", "0", "--headless" };
        args.AddRange(dynamicConfigValues.SelectMany(value => new[] { "--dynamic-config-value", value }));
        var warnings = new ConcurrentQueue<string>();
        var server = await TemporalDevServer.StartAsync(CommandLine.Parse(args), logging => logging.AddProvider(new WarningCapture(warnings)));
        return new ConfiguredServer(server, await TemporalClient.ConnectAsync(new(server.Target)), warnings);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private sealed class WarningCapture(ConcurrentQueue<string> warnings) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                warnings.Enqueue(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>Short timers until the server suggests continue-as-new; returns the history length at which it did.</summary>
[Workflow]
public class GrowUntilSuggestedWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync()
    {
        while (!Workflow.ContinueAsNewSuggested)
        {
            await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
        }
        return Workflow.CurrentHistoryLength;
    }
}

/// <summary>Runs one activity that returns a string of the asked length.</summary>
[Workflow]
public class LargeResultWorkflow
{
    [WorkflowRun]
    public Task<string> RunAsync(int length) =>
        Workflow.ExecuteActivityAsync(() => LargeResultActivities.Text(length), new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) });
}

public static class LargeResultActivities
{
    [Activity]
    public static string Text(int length) => new('x', length);
}
