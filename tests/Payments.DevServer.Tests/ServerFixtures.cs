using Temporalio.Client;
using Temporalio.Testing;

namespace Payments.DevServer.Tests;

/// <summary>One in-process server (memory, real time) shared by a collection of tests.</summary>
public sealed class InProcessServerFixture : IAsyncLifetime
{
    private TemporalDevServer? _server;

    public ITemporalClient Client { get; private set; } = null!;

    public string Target => _server!.Target;

    public async Task InitializeAsync()
    {
        _server = await TemporalDevServer.StartAsync(new TemporalDevServerOptions { Port = 0 });
        Client = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(_server.Target));
    }

    public async Task DisposeAsync() => await _server!.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class InProcessGroup : ICollectionFixture<InProcessServerFixture>
{
    public const string Name = "in-process server";
}

/// <summary><c>WorkflowEnvironment.StartTimeSkippingAsync</c> with our launcher as the test server.</summary>
public sealed class TimeSkippingEnvironmentFixture : IAsyncLifetime
{
    public WorkflowEnvironment Environment { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Environment = await WorkflowEnvironment.StartTimeSkippingAsync(new() { TestServer = new() { ExistingPath = TemporalDevServer.ExecutablePath, StartupTimeout = TestQueues.StartupTimeout } });

    public async Task DisposeAsync() => await Environment.ShutdownAsync();
}

[CollectionDefinition(Name)]
public sealed class TimeSkippingGroup : ICollectionFixture<TimeSkippingEnvironmentFixture>
{
    public const string Name = "time-skipping environment";
}

/// <summary><c>WorkflowEnvironment.StartLocalAsync</c> with our launcher as the dev server.</summary>
public sealed class LocalEnvironmentFixture : IAsyncLifetime
{
    public WorkflowEnvironment Environment { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Environment = await WorkflowEnvironment.StartLocalAsync(new() { DevServerOptions = new() { ExistingPath = TemporalDevServer.ExecutablePath, StartupTimeout = TestQueues.StartupTimeout } });

    public async Task DisposeAsync() => await Environment.ShutdownAsync();
}

[CollectionDefinition(Name)]
public sealed class LocalGroup : ICollectionFixture<LocalEnvironmentFixture>
{
    public const string Name = "local dev-server environment";
}

internal static class TestQueues
{
    /// <summary>The SDK waits 5 s for the server's port by default; a loaded 2-core CI machine needs more.</summary>
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    public static string Unique() => $"tq-{Guid.NewGuid():N}";
}
