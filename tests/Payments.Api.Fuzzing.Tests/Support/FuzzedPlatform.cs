using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Api.Tests;
using Payments.Api.Tests.Support;
using Payments.DevServer;
using Payments.Tests.Fixtures;
using Payments.Workers;
using Payments.Workflows;
using Temporalio.Client;

namespace Payments.Api.Fuzzing.Tests.Support;

/// <summary>
/// The platform under fuzzing, every part real and every part reachable from the tests: a fresh database on the test
/// run's PostgreSQL, our Temporal-compatible server, the API in its own process (as a user runs it) and the payments
/// worker. Two merchants, each with a user and a payment order, are there before the first case.
/// </summary>
public sealed class FuzzedPlatform : IAsyncLifetime
{
    /// <summary>A notify URL nobody listens on: a notification fails at once and, with a one-slot schedule, gives up.</summary>
    public const string DeadNotifyUrl = "http://127.0.0.1:9/notify";

    private const string OrdersExpireAfter = "Payments:Orders:ExpireAfter";
    private const string QuietForADay = "1.00:00:00";

    private readonly PostgresDatabaseFixture _database = new();
    private TemporalDevServer? _temporal;
    private ApiProcess? _api;
    private IHost? _worker;
    private string? _snapshotSql;

    public PaymentsClient Client { get; private set; } = null!;

    public ITemporalClient Temporal { get; private set; } = null!;

    /// <summary>The merchant whose payment the fuzzer aims at; <see cref="Other"/> is the merchant who must not reach it.</summary>
    public SeededShop Owner { get; private set; } = null!;

    public SeededShop Other { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var temporalOptions = new TemporalDevServerOptions { Port = 0 };
        foreach (var attribute in PaymentsTemporal.SearchAttributes)
        {
            temporalOptions.SearchAttributes[attribute.Name] = attribute.ValueType;
        }
        _temporal = await TemporalDevServer.StartAsync(temporalOptions);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Payments"] = _database.ConnectionString,
            ["Temporal__Address"] = _temporal.Target,
            [OrdersExpireAfter.Replace(":", "__", StringComparison.Ordinal)] = QuietForADay,
        };
        _api = await ApiProcess.StartAsync(settings: settings);
        _worker = WorkerHost(_temporal.Target, _database.ConnectionString, _api.BaseAddress);
        await _worker.StartAsync();
        Temporal = await TemporalClient.ConnectAsync(new(_temporal.Target) { DataConverter = PaymentsTemporal.DataConverter });
        Client = new PaymentsClient(_api.BaseAddress);
        Owner = await SeedAsync();
        Other = await SeedAsync();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_worker is not null)
        {
            await _worker.StopAsync();
            _worker.Dispose();
        }
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
        if (_temporal is not null)
        {
            await _temporal.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    /// <summary>
    /// Sends a request the platform must refuse and checks what every refusal is: a 4xx (never a 5xx) with an RFC 7807
    /// problem+json body, and nothing changed — no row in any table, no workflow started.
    /// </summary>
    /// <param name="refusedByKestrel">The request cannot even reach the API (a NUL in the path): Kestrel's own 400, without a body.</param>
    public async Task<Refusal> RefusesAsync(HttpRequestMessage request, string what, bool refusedByKestrel = false)
    {
        var before = await StateAsync();
        using (request)
        using (var response = await Client.Anonymous.SendAsync(request))
        {
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var said = $"{what}: {request.Method} {request.RequestUri} answered {status} {response.Content.Headers.ContentType} {body}";
            Assert.True(status is >= 400 and < 500, said);
            if (refusedByKestrel)
            {
                Assert.True(status == 400 && body.Length == 0, said);
                (await StateAsync()).AssertSameAs(before, said);
                return new Refusal(response.StatusCode, [], said);
            }
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", said);
            var problem = JsonNode.Parse(body)!.AsObject();
            Assert.True((int?)problem["status"] == status && !string.IsNullOrEmpty((string?)problem["title"]) && !string.IsNullOrEmpty((string?)problem["detail"]), said);
            (await StateAsync()).AssertSameAs(before, said);
            return new Refusal(response.StatusCode, problem, said);
        }
    }

    /// <summary>Every row of every table (as one digest per table) and every workflow execution, open or closed.</summary>
    public async Task<PlatformState> StateAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        _snapshotSql ??= await SnapshotSqlAsync(connection);
        var tables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(_snapshotSql, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables[reader.GetString(0)] = reader.GetString(1);
            }
        }
        var workflows = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var execution in Temporal.ListWorkflowsAsync(string.Empty))
        {
            workflows.Add($"{execution.Id}/{execution.RunId}/{execution.Status}");
        }
        return new PlatformState(tables, workflows);
    }

    /// <summary>A merchant with its key and a user, both unique to this call.</summary>
    public async Task<SeededShop> SeedAsync()
    {
        var shop = await Client.NewShopAsync();
        var orderNo = PaymentsClient.Unique("o");
        var payment = await PaymentsClient.CreatePaymentAsync(shop, 10000, DeadNotifyUrl, orderNo);
        return new SeededShop(shop, (string)payment["paymentId"]!, orderNo);
    }

    /// <summary>One query over every table of the payments schemas: its name and an md5 of all its rows in a stable order.</summary>
    private static async Task<string> SnapshotSqlAsync(NpgsqlConnection connection)
    {
        var tables = new List<string>();
        await using var command = new NpgsqlCommand(
            """
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
            """,
            connection);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }
        return string.Join(
            " UNION ALL ",
            tables.Select(table => $"SELECT '{table}', coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t"));
    }

    private static IHost WorkerHost(string temporalAddress, string connectionString, Uri api)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Payments"] = connectionString,
            ["Temporal:Address"] = temporalAddress,
            ["Payments:BankSecret"] = BankSigner.DevelopmentSecret,
            ["Payments:Bank:RefundUrl"] = new Uri(api, "/simulator/bank/refunds").ToString(),
            // One attempt: a notification to the dead URL gives up at once, so an accepted payment settles quickly.
            ["Payments:Notify:Schedule"] = "0s",
            // No order expires and no bank query runs while the fuzzer compares states: nothing moves unasked.
            [OrdersExpireAfter] = QuietForADay,
            ["Payments:Bank:QuerySchedule"] = "23h",
        });
        builder.Logging.ClearProviders();
        builder.Services.AddPaymentsOptions(builder.Configuration).AddPaymentsWorker();
        return builder.Build();
    }
}

/// <summary>A refused request's status and problem+json, with a sentence saying what was sent and answered.</summary>
public sealed record Refusal(HttpStatusCode Status, JsonObject Problem, string Said)
{
    /// <summary>The fields the 400's <c>errors</c> names.</summary>
    public IReadOnlyList<string> Fields => Problem["errors"] is JsonObject errors ? [.. errors.Select(error => error.Key).Order(StringComparer.Ordinal)] : [];
}

/// <summary>A merchant (its key, its user) with one payment order in CREATED.</summary>
public sealed record SeededShop(Shop Shop, string PaymentId, string MerchantOrderNo);

/// <summary>What a rejected request must leave as it was.</summary>
public sealed record PlatformState(IReadOnlyDictionary<string, string> Tables, IReadOnlySet<string> Workflows)
{
    /// <summary>Fails naming every table whose rows changed and every workflow that appeared, ended or disappeared.</summary>
    public void AssertSameAs(PlatformState before, string request)
    {
        var changedTables = Tables.Keys.Union(before.Tables.Keys)
            .Where(table => Tables.GetValueOrDefault(table) != before.Tables.GetValueOrDefault(table)).ToList();
        var changedWorkflows = Workflows.ToHashSet();
        changedWorkflows.SymmetricExceptWith(before.Workflows);
        Assert.True(
            changedTables.Count == 0 && changedWorkflows.Count == 0,
            $"{request} was refused but changed tables [{string.Join(", ", changedTables)}] and workflows [{string.Join(", ", changedWorkflows)}].");
    }
}
