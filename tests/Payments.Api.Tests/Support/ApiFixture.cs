namespace Payments.Api.Tests.Support;

/// <summary>One API process (embedded PostgreSQL, Temporal and worker) shared by every test of the collection.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private ApiProcess? _api;

    public PaymentsClient Client { get; private set; } = null!;

    /// <summary>What the API process has logged so far, every test of the collection included.</summary>
    public string Output => _api?.Output ?? string.Empty;

    public async Task InitializeAsync()
    {
        _api = await ApiProcess.StartAsync();
        Client = new PaymentsClient(_api.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedApi : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
