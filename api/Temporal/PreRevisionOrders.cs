using Payments.Activities.Orders;
using Payments.Domain;

namespace Payments.Api.Temporal;

/// <summary>
/// At the platform's start, orders created before contract revision 2 (no workflow, no expiry) get both: the workflow
/// first (an open order's, so a lost callback is recovered and an unpaid order closes), then the expiry that marks them done.
/// Temporal or PostgreSQL out of reach: it tries again until it succeeds, without holding the start.
/// </summary>
internal sealed class PreRevisionOrders(PaymentOrderStore orders, PaymentWorkflows workflows, ILogger<PreRevisionOrders> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await orders.ListUnexpiringAsync(BatchSize, stoppingToken);
                foreach (var order in batch)
                {
                    if (order.Status is PaymentStatus.Created or PaymentStatus.Processing)
                    {
                        await workflows.StartCompletionAsync(order.PaymentId, order.MerchantId, stoppingToken);
                    }
                    await orders.SetExpiryAsync(order.PaymentId, stoppingToken);
                    logger.LogInformation("Payment {PaymentId}: order from before revision 2 given its workflow and expiry", order.PaymentId);
                }
                if (batch.Count < BatchSize)
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Orders from before revision 2 not yet given their workflow; trying again in {Delay}", RetryDelay);
                await Task.Delay(RetryDelay, stoppingToken);
            }
        }
    }
}
