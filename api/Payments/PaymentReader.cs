using Payments.Api.Queries;
using Payments.Api.Temporal;
using Payments.Domain;

namespace Payments.Api.Payments;

/// <summary>
/// The payment view from PostgreSQL (<see cref="PaymentQueries"/>), its <c>step</c> refined by the running workflow's
/// <c>status</c> query when it answers within a short timeout — so a read never waits on Temporal or a worker.
/// </summary>
internal sealed class PaymentReader(PaymentQueries queries, PaymentWorkflows workflows)
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromMilliseconds(500);

    public async Task<PaymentView?> GetAsync(string paymentId, CancellationToken cancellationToken) =>
        await queries.GetAsync(paymentId, cancellationToken) is { } view ? await RefineAsync(view, cancellationToken) : null;

    public async Task<PaymentView?> GetByMerchantOrderNoAsync(string merchantId, string merchantOrderNo, CancellationToken cancellationToken) =>
        await queries.GetByMerchantOrderNoAsync(merchantId, merchantOrderNo, cancellationToken) is { } view ? await RefineAsync(view, cancellationToken) : null;

    private async Task<PaymentView> RefineAsync(PaymentView view, CancellationToken cancellationToken)
    {
        var workflowMayRun = view.Status != PaymentStatus.Created && view.Step is not PaymentStep.Done;
        var liveStep = workflowMayRun ? await workflows.QueryStepAsync(view.PaymentId, QueryTimeout, cancellationToken) : null;
        return liveStep is null ? view : view with { Step = liveStep };
    }
}
