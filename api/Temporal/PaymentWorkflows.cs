using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Domain;
using Payments.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Decision = Payments.Workflows.Resolution;

namespace Payments.Api.Temporal;

/// <summary>What the API asks of the workflows: start a payment's completion, query its step, deliver decisions as signals.</summary>
internal sealed class PaymentWorkflows(ITemporalClient client, TimeProvider clock, ILogger<PaymentWorkflows> logger)
{
    /// <summary>
    /// Starts <c>payment-{id}</c> at most once, ever: a reuse policy that refuses a second run, and "already started"
    /// (running or closed) counts as success, so a repeated callback finds the existing workflow.
    /// </summary>
    public async Task StartCompletionAsync(BankCallback callback, CancellationToken cancellationToken)
    {
        var input = new PaymentCompletionInput(callback.PaymentId, callback.BankTxnId, callback.Result, callback.Amount, callback.Currency, callback.PaidAt);
        var options = new WorkflowOptions(Identifiers.CompletionWorkflowId(callback.PaymentId), PaymentsTemporal.TaskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
        };
        try
        {
            await client.StartWorkflowAsync((PaymentCompletionWorkflow workflow) => workflow.RunAsync(input), options);
            logger.LogInformation("Payment {PaymentId}: completion workflow {WorkflowId} started", callback.PaymentId, options.Id);
        }
        catch (WorkflowAlreadyStartedException)
        {
            logger.LogInformation("Payment {PaymentId}: completion workflow {WorkflowId} already exists", callback.PaymentId, options.Id);
        }
    }

    /// <summary>The live step from the workflow's <c>status</c> query, or null when it does not answer within <paramref name="timeout"/>.</summary>
    public async Task<PaymentStep?> QueryStepAsync(string paymentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var status = await client.GetWorkflowHandle<PaymentCompletionWorkflow>(Identifiers.CompletionWorkflowId(paymentId)).QueryAsync(
                workflow => workflow.Status, new WorkflowQueryOptions { Rpc = new RpcOptions { Timeout = timeout, CancellationToken = deadline.Token } });
            return status.Step;
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or WorkflowQueryFailedException or WorkflowQueryRejectedException or InvalidOperationException)
        {
            logger.LogDebug(e, "Payment {PaymentId}: no live step from the workflow", paymentId);
            return null;
        }
    }

    public Task SignalResolveAsync(string paymentId, Decision decision) =>
        client.GetWorkflowHandle<PaymentCompletionWorkflow>(Identifiers.CompletionWorkflowId(paymentId))
            .SignalAsync(workflow => workflow.ResolveAsync(decision));

    public Task SignalRetryNowAsync(string paymentId) =>
        client.GetWorkflowHandle<MerchantNotificationWorkflow>(Identifiers.NotificationWorkflowId(paymentId))
            .SignalAsync(workflow => workflow.RetryNowAsync());

    public Task SignalAcknowledgeAsync(string paymentId) =>
        client.GetWorkflowHandle<MerchantNotificationWorkflow>(Identifiers.NotificationWorkflowId(paymentId))
            .SignalAsync(workflow => workflow.AcknowledgeAsync());

    /// <summary>
    /// After GAVE_UP the notification workflow has ended: a new run of <c>notify-{id}</c> starts the schedule again,
    /// with the same notify id and the attempts so far (numbering goes on). A concurrent request finds the new run.
    /// </summary>
    public async Task StartNewNotificationRoundAsync(PaymentView payment, NotificationStatusView notification)
    {
        var facts = new NotificationFacts(
            payment.PaymentId, payment.MerchantId, payment.MerchantOrderNo, payment.NotifyUrl, payment.Amount, payment.Currency, payment.Status, payment.PaidAt);
        var progress = new NotificationProgress(
            notification.NotifyId ?? Identifiers.NotifyId(payment.PaymentId), notification.Attempts, NextSlot: 0, clock.GetUtcNow(), RetryRequested: false);
        var options = new WorkflowOptions(Identifiers.NotificationWorkflowId(payment.PaymentId), PaymentsTemporal.TaskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.AllowDuplicate,
            IdConflictPolicy = WorkflowIdConflictPolicy.UseExisting,
        };
        var input = new MerchantNotificationInput(facts, Progress: progress);
        await client.StartWorkflowAsync((MerchantNotificationWorkflow workflow) => workflow.RunAsync(input), options);
        logger.LogInformation("Payment {PaymentId}: new notification round started after GAVE_UP", payment.PaymentId);
    }
}
