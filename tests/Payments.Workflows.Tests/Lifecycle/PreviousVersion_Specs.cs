using Microsoft.Extensions.DependencyInjection;
using Payments.Activities.Merchants;
using Payments.Activities.Orders;
using Payments.Api.Queries;
using Payments.DevServer;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Client;

namespace Payments.Workflows.Tests.Lifecycle;

/// <summary>
/// A payment the previous version of the workflow suspended keeps working under this one: the saved durable server
/// (Histories/rev1/previous-version-suspended.temporal.db, written by the previous version at commit 6bd0b6d; its history is
/// rev1/completion-suspended-waiting.json) resumed by today's worker.
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class PreviousVersion_Specs(WorkflowEnvironmentFixture fixture) : IDisposable
{
    private readonly string _serverFile = Path.Combine(Path.GetTempPath(), $"previous-version-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task SuspendedByThePreviousVersion_RefundRefusedThenRefundAgain_SuspendedThenRefunded()
    {
        var history = await Histories.LoadAsync("rev1/completion-suspended-waiting");
        var input = history.Events.First().WorkflowExecutionStartedEventAttributes.Input.Payloads_[0].Data.ToStringUtf8();
        var paymentId = System.Text.Json.JsonDocument.Parse(input).RootElement.GetProperty("paymentId").GetString()!;
        await OrderAsThePreviousVersionLeftItAsync(paymentId);
        File.Copy(Path.Combine(AppContext.BaseDirectory, Histories.Folder, "rev1", "previous-version-suspended.temporal.db"), _serverFile);
        var options = new TemporalDevServerOptions { Port = 0, DatabaseFile = _serverFile };
        foreach (var attribute in PaymentsTemporal.SearchAttributes)
        {
            options.SearchAttributes[attribute.Name] = attribute.ValueType;
        }
        await using var server = await TemporalDevServer.StartAsync(options);
        using var worker = WorkflowEnvironmentFixture.WorkerHost(server.Target, fixture.ConnectionString, fixture.Http.RefundUrl);
        await worker.StartAsync();
        var handle = worker.Services.GetRequiredService<ITemporalClient>().GetWorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult>(Identifiers.CompletionWorkflowId(paymentId));
        var queries = fixture.Queries;
        fixture.Http.RefuseNextRefund();

        await handle.ExecuteUpdateAsync(wf => wf.DecideAsync(new Resolution(ResolutionAction.Refund, "first")), new WorkflowUpdateOptions($"resolve-{paymentId}-1"));
        var refused = await Eventually.ReturnsAsync(
            () => queries.GetAsync(paymentId, CancellationToken.None), view => view!.Status == PaymentStatus.Suspended && view.LastError is not null, "the refused refund back in SUSPENDED");
        var listed = await queries.ListAsync(new PaymentListQuery(PaymentStatus.Suspended, "m_previous"), CancellationToken.None);
        await handle.ExecuteUpdateAsync(wf => wf.DecideAsync(new Resolution(ResolutionAction.Refund, "second")), new WorkflowUpdateOptions($"resolve-{paymentId}-2"));
        var result = await handle.GetResultAsync();

        Assert.Contains("RefundRejected", refused!.LastError, StringComparison.Ordinal);
        Assert.Equal(paymentId, Assert.Single(listed.Items).PaymentId);
        Assert.Equal(PaymentStatus.Refunded, result.Status);
        var view = (await queries.GetAsync(paymentId, CancellationToken.None))!;
        Assert.Equal((PaymentStatus.Refunded, (string?)null), (view.Status, view.LastError));
        Assert.Equal(["first", "second"], view.Resolutions.Select(r => r.Reason));
        Assert.Contains(Identifiers.RefundId(paymentId), fixture.Http.RefundIds);
        await worker.StopAsync();
    }

    public void Dispose() => File.Delete(_serverFile);

    private async Task OrderAsThePreviousVersionLeftItAsync(string paymentId)
    {
        await fixture.Get<MerchantStore>().CreateAsync(new NewMerchant("m_previous", "Book shop", "CNY"));
        await fixture.Get<UserStore>().CreateAsync("u_previous", "Shopper");
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new Npgsql.NpgsqlCommand(
            """
            INSERT INTO orders.payments (payment_id, merchant_id, merchant_order_no, user_id, amount, currency, fee_bps, fee, net_amount, points,
                                         notify_url, status, bank_txn_id, bank_result, paid_at, step, fund_account, points_account)
            VALUES (@id, 'm_previous', 'A-previous', 'u_previous', 10000, 'CNY', 60, 60, 9940, 100, 'http://127.0.0.1:9/notify',
                    'SUSPENDED', 'B-previous', 'SUCCESS', '2026-11-23T12:00:00Z', 'WAITING_FOR_OPERATOR', 'CANCELLED', 'CANCELLED')
            """,
            connection);
        insert.Parameters.AddWithValue("id", paymentId);
        await insert.ExecuteNonQueryAsync();
    }
}
