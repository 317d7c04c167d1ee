using Payments.DevServer;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Client;

namespace Payments.Workflows.Tests;

/// <summary>A worker killed in the middle of a payment loses nothing: another worker finishes it, every effect once.</summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class WorkerCrash_Specs(WorkflowEnvironmentFixture fixture)
{
    // The worst case after the kill, under a minute: a worker process's start, then the dead worker's workflow task (10 s)
    // or its notification attempt (30 s) timing out; twice that for a loaded machine.
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    // Where the kill lands after the pivot is a race; landing in the first notification attempt loses it, and the default
    // schedule's next slot is 4 minutes on. This spec is about effects once, not the schedule: the next slot comes at once.
    private static readonly Dictionary<string, string> Settings = new() { ["Payments__Notify__Schedule"] = "0s,1s" };
    private readonly PaymentsWorld _world = fixture.World;

    [Fact]
    public async Task Complete_WorkerKilledAfterThePivot_RestartedWorkerFinishesWithEveryEffectOnce()
    {
        // A server of its own (real time), so only the worker processes serve this payment.
        var options = new TemporalDevServerOptions { Port = 0 };
        foreach (var attribute in PaymentsTemporal.SearchAttributes)
        {
            options.SearchAttributes[attribute.Name] = attribute.ValueType;
        }
        await using var server = await TemporalDevServer.StartAsync(options);
        var client = await TemporalClient.ConnectAsync(new(server.Target) { DataConverter = PaymentsTemporal.DataConverter });
        var payment = await _world.NewPaymentAsync();
        var ledgerDown = await Faults.RefuseInsertsAsync(fixture.ConnectionString, "accounting.vouchers");

        using (var first = WorkerProcess.Start(server.Target, fixture.ConnectionString, Settings))
        {
            await _world.StartCompletionAsync(payment, client: client);
            await Eventually.ReturnsAsync(() => _world.ViewAsync(payment), view => view.Status == PaymentStatus.Paid, "the pivot");
            first.Kill();
        }
        await ledgerDown.DisposeAsync();
        using var second = WorkerProcess.Start(server.Target, fixture.ConnectionString, Settings);
        var handle = client.GetWorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult>(Identifiers.CompletionWorkflowId(payment.PaymentId));
        var result = await handle.GetResultAsync().WaitAsync(Patience);
        var notified = await _world.NotificationEndedAsync(payment, client).WaitAsync(Patience);

        Assert.Equal(PaymentStatus.Paid, result.Status);
        var account = await _world.FundAccountAsync(payment);
        Assert.Equal((payment.Amounts.NetAmount, 0L), (account.Balance, account.PendingCredit));
        var points = await _world.PointsAccountAsync(payment);
        Assert.Equal((100L, 0L), (points.Points, points.PendingPoints));
        var voucher = Assert.Single(await _world.VouchersAsync(payment));
        Assert.Equal(result.VoucherId, voucher.VoucherId);
        Assert.Equal(NotificationState.Delivered, notified);
        Assert.Equal(Identifiers.NotifyId(payment.PaymentId), _world.ReceivedBy(payment).Select(r => r.NotifyId).Distinct().Single());
        var view = await _world.ViewAsync(payment);
        Assert.Equal((PaymentStep.Done, AccountingState.Posted, NotificationState.Delivered), (view.Step, view.Accounting, view.Notification));
    }
}
