using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Payments.Api.Queries;
using Payments.DevServer;
using Payments.Tests.Fixtures;
using Payments.Workers;
using Payments.Workflows;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Testing;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>
/// One time-skipping Temporal environment (our devserver as the test server), one database and one worker — the
/// product's own registration with the real activities — shared by every test of the collection.
/// </summary>
public sealed class WorkflowEnvironmentFixture : IAsyncLifetime
{
    private readonly PostgresDatabaseFixture _database = new();
    private IHost? _worker;
    private LoopbackHttp? _http;
    private WorkflowEnvironment? _environment;

    public WorkflowEnvironment Environment => _environment ?? throw new InvalidOperationException("Not initialised.");

    public ITemporalClient Client => Environment.Client;

    public string ConnectionString => _database.ConnectionString;

    internal LoopbackHttp Http => _http ?? throw new InvalidOperationException("Not initialised.");

    internal PaymentsWorld World => new(this);

    public T Get<T>()
        where T : notnull => (_worker ?? throw new InvalidOperationException("Not initialised.")).Services.GetRequiredService<T>();

    /// <summary>The API's read model over this fixture's database.</summary>
    public PaymentQueries Queries => ActivatorUtilities.CreateInstance<PaymentQueries>(_worker!.Services);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _http = LoopbackHttp.Start();
        _environment = await WorkflowEnvironment.StartTimeSkippingAsync(new()
        {
            TestServer = new() { ExistingPath = TemporalDevServer.ExecutablePath, StartupTimeout = TimeSpan.FromSeconds(30) },
            DataConverter = PaymentsTemporal.DataConverter,
        });
        await RegisterSearchAttributesAsync(Client);
        _worker = WorkerHost(Client.Connection.Options.TargetHost!, ConnectionString, Http.RefundUrl);
        await _worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }
        if (_environment is not null)
        {
            await _environment.ShutdownAsync();
        }
        if (_http is not null)
        {
            await _http.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    /// <summary>
    /// Lets virtual time run while waiting, as the environment does for handles it started itself; a child's handle
    /// (got by id) needs this to see its timers fire.
    /// </summary>
    public async Task<T> WithTimeSkippingAsync<T>(Func<Task<T>> wait)
    {
        await Client.Connection.TestService.UnlockTimeSkippingAsync(new());
        try
        {
            return await wait();
        }
        finally
        {
            await Client.Connection.TestService.LockTimeSkippingAsync(new());
        }
    }

    /// <summary>What docker-compose's init step and the embedded mode do: Temporal refuses unregistered attributes.</summary>
    internal static async Task RegisterSearchAttributesAsync(ITemporalClient client)
    {
        var request = new AddSearchAttributesRequest { Namespace = client.Options.Namespace };
        foreach (var key in PaymentsTemporal.SearchAttributes)
        {
            request.SearchAttributes.Add(key.Name, key.ValueType);
        }
        await client.Connection.OperatorService.AddSearchAttributesAsync(request);
    }

    /// <summary>The product's worker registration against a Temporal server and the test database.</summary>
    internal static IHost WorkerHost(string temporalAddress, string connectionString, Uri refundUrl)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Payments"] = connectionString,
            ["Temporal:Address"] = temporalAddress,
            ["Payments:Bank:RefundUrl"] = refundUrl.ToString(),
            ["Payments:BankSecret"] = "test-bank-secret",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddPaymentsOptions(builder.Configuration).AddPaymentsWorker();
        return builder.Build();
    }
}

[CollectionDefinition(Name)]
public sealed class WorkflowEnvironmentGroup : ICollectionFixture<WorkflowEnvironmentFixture>
{
    public const string Name = "workflow environment";
}
