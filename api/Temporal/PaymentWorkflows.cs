using System.Linq.Expressions;
using Microsoft.Extensions.Options;
using Payments.Activities;
using Payments.Activities.Bank;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Api.Queries;
using Payments.Domain;
using Payments.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.Api.Temporal;

/// <summary>How the <c>resolve</c> update went.</summary>
internal enum DecisionOutcome
{
    /// <summary>Accepted, recorded and moved to PROCESSING (the decision returned is the one the workflow took).</summary>
    Accepted,

    /// <summary>Refused by the validator, or the workflow has finished: 409.</summary>
    Rejected,

    /// <summary>No such workflow: 404 unless the order exists.</summary>
    NotFound,

    /// <summary>No answer within the deadline (no worker running): 503; the decision may still take effect.</summary>
    Unanswered,
}

internal sealed record DecisionAnswer(DecisionOutcome Outcome, Resolution? Accepted = null, string? Detail = null);

/// <summary>
/// What the API asks of the workflows: start a payment's workflow at its creation, deliver the bank's result and an
/// operator's decision to it, query its step, return a late debit, steer the notification.
/// </summary>
internal sealed class PaymentWorkflows(
    ITemporalClient client, IOptions<BankOptions> bank, IOptions<OrderOptions> orders, TimeProvider clock, ILogger<PaymentWorkflows> logger)
{
    /// <summary>The contract's deadline for a decision to be accepted and recorded.</summary>
    public static readonly TimeSpan DecisionDeadline = TimeSpan.FromSeconds(10);

    private static readonly string CompletionWorkflowName = WorkflowDefinition.Create(typeof(PaymentCompletionWorkflow)).Name!;

    private static readonly string BankResultSignalName = WorkflowSignalDefinition.FromMethod(
        typeof(PaymentCompletionWorkflow).GetMethod(nameof(PaymentCompletionWorkflow.BankResultAsync))!).Name!;

    /// <summary>
    /// Starts <c>payment-{id}</c> at most once, ever (a reuse policy that refuses a second run); "already started"
    /// (running or closed) counts as success, so the same create again repairs only a missing workflow.
    /// </summary>
    public async Task StartCompletionAsync(string paymentId, string merchantId, CancellationToken cancellationToken)
    {
        var workflowOptions = CompletionOptions(paymentId, cancellationToken);
        workflowOptions.TypedSearchAttributes = new SearchAttributeCollection.Builder()
            .Set(PaymentsTemporal.MerchantId, merchantId)
            .Set(PaymentsTemporal.PaymentStatus, WireName.Of(PaymentStatus.Created))
            .ToSearchAttributeCollection();
        try
        {
            await StartCompletionRunAsync(paymentId, workflowOptions);
            // Debug: the store's "Created payment" line is the creation's one line at Information; the 201 says the workflow started.
            logger.LogDebug("Payment {PaymentId}: workflow {WorkflowId} started", paymentId, workflowOptions.Id);
        }
        catch (WorkflowAlreadyStartedException)
        {
            logger.LogDebug("Payment {PaymentId}: workflow {WorkflowId} already exists", paymentId, workflowOptions.Id);
        }
    }

    /// <summary>
    /// Sends <c>bankResult</c> (signal-with-start, so an order whose workflow is missing gets one). A run that has already
    /// finished counts as delivered: the caller signals only a result the order holds.
    /// </summary>
    public async Task SignalBankResultAsync(BankCallback callback, CancellationToken cancellationToken)
    {
        var workflowOptions = CompletionOptions(callback.PaymentId, cancellationToken);
        BankResultSignal signal = new(callback.BankTxnId, callback.Result, callback.Amount, callback.Currency, callback.PaidAt);
        workflowOptions.SignalWithStart(BankResultSignalName, [signal]);
        try
        {
            await StartCompletionRunAsync(callback.PaymentId, workflowOptions);
            // Debug: the store's "bank … recorded" line is the callback's one line at Information; the 200 says the workflow has it.
            logger.LogDebug("Payment {PaymentId}: bankResult {BankTxnId} delivered", callback.PaymentId, callback.BankTxnId);
        }
        catch (WorkflowAlreadyStartedException)
        {
            logger.LogInformation("Payment {PaymentId}: bankResult {BankTxnId} for a finished workflow, already recorded", callback.PaymentId, callback.BankTxnId);
        }
    }

    /// <summary>
    /// The <c>resolve</c> update under id <c>resolve-{paymentId}-{round}</c> (a retried request joins it), waiting at most
    /// <see cref="DecisionDeadline"/> for the workflow to record the decision and move the payment to PROCESSING.
    /// </summary>
    public async Task<DecisionAnswer> DecideAsync(string paymentId, int round, Resolution decision, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DecisionDeadline);
        var handle = client.GetWorkflowHandle<PaymentCompletionWorkflow>(Identifiers.CompletionWorkflowId(paymentId));
        try
        {
            var accepted = await handle.ExecuteUpdateAsync(
                workflow => workflow.DecideAsync(decision),
                new WorkflowUpdateOptions(Identifiers.ResolveUpdateId(paymentId, round)) { Rpc = new RpcOptions { CancellationToken = deadline.Token } });
            return new DecisionAnswer(DecisionOutcome.Accepted, accepted);
        }
        catch (WorkflowUpdateFailedException e)
        {
            return new DecisionAnswer(DecisionOutcome.Rejected, Detail: e.InnerException?.Message ?? e.Message);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return e.Message.Contains("completed", StringComparison.OrdinalIgnoreCase)
                ? new DecisionAnswer(DecisionOutcome.Rejected, Detail: $"The workflow of payment {paymentId} has finished.")
                : new DecisionAnswer(DecisionOutcome.NotFound, Detail: e.Message);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                  && e is OperationCanceledException or RpcException or WorkflowUpdateRpcTimeoutOrCanceledException)
        {
            logger.LogWarning("Payment {PaymentId}: decision {Action} not answered within {Deadline}", paymentId, decision.Action, DecisionDeadline);
            return new DecisionAnswer(DecisionOutcome.Unanswered);
        }
    }

    /// <summary>Starts <c>late-debit-{paymentId}-{bankTxnId}</c> once per late bank transaction (a repeat finds it).</summary>
    public async Task StartLateDebitRefundAsync(BankCallback callback, CancellationToken cancellationToken)
    {
        var workflowOptions = new WorkflowOptions(Identifiers.LateDebitWorkflowId(callback.PaymentId, callback.BankTxnId), PaymentsTemporal.TaskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
        };
        var input = new LateDebitRefundInput(callback.PaymentId, callback.BankTxnId, callback.Amount, callback.Currency);
        try
        {
            await client.StartWorkflowAsync((LateDebitRefundWorkflow workflow) => workflow.RunAsync(input), workflowOptions);
            logger.LogWarning("Payment {PaymentId}: late debit {BankTxnId} after the close, refund workflow started", callback.PaymentId, callback.BankTxnId);
        }
        catch (WorkflowAlreadyStartedException)
        {
            logger.LogInformation("Payment {PaymentId}: late debit {BankTxnId} already being returned", callback.PaymentId, callback.BankTxnId);
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

    /// <summary>An extra notification attempt now; false when no workflow owns the notification any more (it has ended).</summary>
    public Task<bool> SignalRetryNowAsync(string paymentId) =>
        SteerNotificationAsync(paymentId, notification => notification.RetryNowAsync(), completion => completion.NotificationRetryNowAsync());

    /// <summary>The merchant's acknowledgement; false when no workflow owns the notification any more (it has ended).</summary>
    public Task<bool> SignalAcknowledgeAsync(string paymentId) =>
        SteerNotificationAsync(paymentId, notification => notification.AcknowledgeAsync(), completion => completion.NotificationAcknowledgeAsync());

    /// <summary>
    /// Signals <c>notify-{paymentId}</c>; while it does not exist yet the completion owns the notification (its first attempt
    /// is in flight or is being handed over) and takes the signal; the completion ended meanwhile, so <c>notify-{paymentId}</c>
    /// is asked once more.
    /// </summary>
    private async Task<bool> SteerNotificationAsync(
        string paymentId,
        Expression<Func<MerchantNotificationWorkflow, Task>> notificationSignal,
        Expression<Func<PaymentCompletionWorkflow, Task>> completionSignal)
    {
        var notification = client.GetWorkflowHandle<MerchantNotificationWorkflow>(Identifiers.NotificationWorkflowId(paymentId));
        if (await SignalIfRunningAsync(() => notification.SignalAsync(notificationSignal)))
        {
            return true;
        }
        var completion = client.GetWorkflowHandle<PaymentCompletionWorkflow>(Identifiers.CompletionWorkflowId(paymentId));
        if (await SignalIfRunningAsync(() => completion.SignalAsync(completionSignal)))
        {
            logger.LogInformation("Payment {PaymentId}: notification signal sent to the completion, which owns the first attempt", paymentId);
            return true;
        }
        return await SignalIfRunningAsync(() => notification.SignalAsync(notificationSignal));
    }

    private static async Task<bool> SignalIfRunningAsync(Func<Task> signal)
    {
        try
        {
            await signal();
            return true;
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return false;
        }
    }

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

    /// <summary>
    /// By the workflow's and the signal's names: the SDK's lambda overloads walk and interpret an expression tree on every
    /// call, a cost on the API's two per-payment calls.
    /// </summary>
    private Task StartCompletionRunAsync(string paymentId, WorkflowOptions workflowOptions) =>
        client.StartWorkflowAsync(CompletionWorkflowName, [CompletionInput(paymentId)], workflowOptions);

    private PaymentCompletionInput CompletionInput(string paymentId) =>
        new(paymentId, BankQuerySchedule: DelayList.Parse(bank.Value.QuerySchedule), ExpireAfter: orders.Value.ExpireAfter);

    private static WorkflowOptions CompletionOptions(string paymentId, CancellationToken cancellationToken) =>
        new(Identifiers.CompletionWorkflowId(paymentId), PaymentsTemporal.TaskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
        };
}
