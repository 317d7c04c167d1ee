using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Payments.Api.Tests.Support;
using Payments.DevServer;
using Payments.Tests.Fixtures;
using Payments.Workflows;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Api.Tests;

/// <summary>
/// The API on its own (no worker): a Temporal server and PostgreSQL of the test's, so the test can see both sides. A
/// decision nobody takes answers 503 within the deadline and changes nothing; the same create again repairs a missing workflow.
/// </summary>
public sealed class NoWorker_Specs : IAsyncLifetime, IDisposable
{
    private readonly PostgresDatabaseFixture _database = new();
    private readonly MerchantEndpoint _merchant = new();
    private TemporalDevServer? _temporal;
    private ApiProcess? _api;
    private PaymentsClient? _client;

    private PaymentsClient Client => _client!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        var options = new TemporalDevServerOptions { Port = 0 };
        foreach (var attribute in PaymentsTemporal.SearchAttributes)
        {
            options.SearchAttributes[attribute.Name] = attribute.ValueType;
        }
        _temporal = await TemporalDevServer.StartAsync(options);
        _api = await ApiProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["ConnectionStrings__Payments"] = _database.ConnectionString,
            ["Temporal__Address"] = _temporal.Target,
        });
        _client = new PaymentsClient(_api.BaseAddress);
    }

    [Fact]
    public async Task Resolve_NoWorkerRunning_Answers503WithRetryAfterAndChangesNothing()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        // As a worker would have left it before it stopped.
        await ExecuteAsync("UPDATE orders.payments SET status = 'SUSPENDED', step = 'WAITING_FOR_OPERATOR' WHERE payment_id = @id", paymentId);

        using var answer = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = "nobody home" });

        Assert.NotNull(answer.Headers.RetryAfter);
        await PaymentsClient.AssertProblemAsync(answer, HttpStatusCode.ServiceUnavailable);
        var payment = await Client.GetAsync($"/api/payments/{paymentId}");
        Assert.Equal(("SUSPENDED", 0), ((string?)payment["status"], payment["resolutions"]!.AsArray().Count));
    }

    [Fact]
    public async Task Create_SameOrderAgainWhoseWorkflowIsMissing_Answers200AndStartsIt()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = $"pay_{Guid.NewGuid():N}";
        // A crash between the insert and the start: the order exists, its workflow does not.
        await ExecuteAsync(
            $"""
            INSERT INTO orders.payments (payment_id, merchant_id, merchant_order_no, user_id, amount, currency, fee_bps, fee, net_amount, points,
                                         notify_url, subject, step, expires_at)
            VALUES (@id, '{shop.MerchantId}', 'A-repair', '{shop.UserId}', 10000, 'CNY', 60, 60, 9940, 100, '{_merchant.NotifyUrl}', '2 books',
                    'WAITING_FOR_BANK', now() + interval '30 minutes')
            """,
            paymentId);
        var temporal = await TemporalClient.ConnectAsync(new(_temporal!.Target) { DataConverter = PaymentsTemporal.DataConverter });
        await Assert.ThrowsAsync<RpcException>(() => temporal.GetWorkflowHandle($"payment-{paymentId}").DescribeAsync());

        using var again = await shop.Client.PostAsJsonAsync("/api/payments", new
        {
            merchantOrderNo = "A-repair", userId = shop.UserId, amount = 10000, currency = "CNY", notifyUrl = _merchant.NotifyUrl, subject = "2 books",
        });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(paymentId, (string?)(await again.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["paymentId"]);
        var description = await temporal.GetWorkflowHandle($"payment-{paymentId}").DescribeAsync();
        Assert.Equal("PaymentCompletion", description.WorkflowType);
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
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

    public void Dispose() => _merchant.Dispose();

    private async Task ExecuteAsync(string sql, string paymentId)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", paymentId);
        await command.ExecuteNonQueryAsync();
    }
}
