using Microsoft.Extensions.Logging;
using Payments.Activities.Accounting;
using Payments.Activities.Funds;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Refunds;
using Payments.Activities.Tcc;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>
/// <c>payment-{paymentId}</c>: completes a payment the bank reported as a saga — TCC tries on the fund and points
/// accounts (compensated in reverse when one is refused, then SUSPENDED until an operator resolves it), confirms and
/// the PAID pivot, then only forward steps: the merchant notification (a child that outlives this workflow) and the
/// voucher, retried until the ledger takes it.
/// </summary>
[Workflow("PaymentCompletion")]
public sealed class PaymentCompletionWorkflow
{
    private Resolution? _resolution;

    [WorkflowInit]
    public PaymentCompletionWorkflow(PaymentCompletionInput input) =>
        Status = new PaymentCompletionStatus(
            input.PaymentId,
            PaymentStatus.Processing,
            PaymentStep.Received,
            Round: 1,
            BranchState.None,
            BranchState.None,
            AccountingState.None,
            NotificationState.None,
            LastError: null);

    private enum Branch
    {
        FundAccount,
        PointsAccount,
    }

    [WorkflowQuery("status")]
    public PaymentCompletionStatus Status { get; private set; }

    [WorkflowRun]
    public async Task<PaymentCompletionResult> RunAsync(PaymentCompletionInput input)
    {
        var payment = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.LoadPaymentAsync(input.PaymentId), StepOptions.Order);
        Workflow.UpsertTypedSearchAttributes(PaymentsTemporal.MerchantId.ValueSet(payment.MerchantId));
        if (input.Result == BankResult.Failed)
        {
            await MoveAsync(PaymentStatus.Failed, PaymentStep.Done);
            return new PaymentCompletionResult(PaymentStatus.Failed, null);
        }
        await MoveAsync(PaymentStatus.Processing, PaymentStep.Trying);
        while (true)
        {
            if (await TryRoundAsync(payment))
            {
                return await FinishPaidAsync(payment);
            }
            await MoveAsync(PaymentStatus.Suspended, PaymentStep.WaitingForOperator);
            while (true)
            {
                var resolution = await WaitForResolutionAsync();
                if (resolution.Action == ResolutionAction.Retry)
                {
                    break;
                }
                if (await RefundAsync(payment) is { } refunded)
                {
                    return refunded;
                }
            }
            Status = Status with { Round = Status.Round + 1, LastError = null };
            await MoveAsync(PaymentStatus.Processing, PaymentStep.Trying);
        }
    }

    /// <summary>
    /// Takes an operator's decision while the payment waits for one; any other <c>resolve</c> is ignored. The API moves
    /// the order out of SUSPENDED before it signals, a signal from the Temporal UI does not: the status moves that follow
    /// accept both.
    /// </summary>
    [WorkflowSignal("resolve")]
    public Task ResolveAsync(Resolution resolution)
    {
        if (Status.Step != PaymentStep.WaitingForOperator || _resolution is not null)
        {
            Workflow.Logger.LogWarning(
                "Payment {PaymentId}: resolve {Action} ignored, the workflow is at step {Step}", Status.PaymentId, resolution.Action, Status.Step);
            return Task.CompletedTask;
        }
        Workflow.Logger.LogInformation(
            "Payment {PaymentId}: operator chose {Action} ({Reason})", Status.PaymentId, resolution.Action, resolution.Reason);
        _resolution = resolution;
        return Task.CompletedTask;
    }

    private static TccRequest BranchRequest(Branch branch, PaymentFacts payment, int round) => branch == Branch.FundAccount
        ? new TccRequest(payment.PaymentId, round, payment.MerchantId, payment.NetAmount)
        : new TccRequest(payment.PaymentId, round, payment.UserId, payment.Points);

    private static Task<TccOutcome> RunBranchAsync(Branch branch, TccOp op, TccRequest request) => (branch, op) switch
    {
        (Branch.FundAccount, TccOp.Try) => Workflow.ExecuteActivityAsync((FundAccountActivities a) => a.TryCreditAsync(request), StepOptions.TccTry),
        (Branch.FundAccount, TccOp.Confirm) => Workflow.ExecuteActivityAsync((FundAccountActivities a) => a.ConfirmCreditAsync(request), StepOptions.TccSettle),
        (Branch.FundAccount, _) => Workflow.ExecuteActivityAsync((FundAccountActivities a) => a.CancelCreditAsync(request), StepOptions.TccSettle),
        (_, TccOp.Try) => Workflow.ExecuteActivityAsync((PointsActivities a) => a.TryAwardAsync(request), StepOptions.TccTry),
        (_, TccOp.Confirm) => Workflow.ExecuteActivityAsync((PointsActivities a) => a.ConfirmAwardAsync(request), StepOptions.TccSettle),
        _ => Workflow.ExecuteActivityAsync((PointsActivities a) => a.CancelAwardAsync(request), StepOptions.TccSettle),
    };

    private static string Describe(ActivityFailureException failure) => failure.InnerException switch
    {
        ApplicationFailureException { ErrorType: { } type } application => $"{type}: {application.Message}",
        { } inner => inner.Message,
        _ => failure.Message,
    };

    /// <summary>One TCC round; true when both branches are confirmed and the order is PAID, false once every tried branch is cancelled.</summary>
    private async Task<bool> TryRoundAsync(PaymentFacts payment)
    {
        var branches = new[] { Branch.FundAccount, Branch.PointsAccount }
            .Where(branch => BranchRequest(branch, payment, Status.Round).Amount > 0) // a zero branch stays NONE
            .ToArray();
        var registered = new Stack<Branch>();
        foreach (var branch in branches)
        {
            registered.Push(branch); // its cancel is owed from before the try runs: the try may land even if we hear nothing
            var refusal = await TryBranchAsync(branch, payment);
            if (refusal is not null)
            {
                await CompensateAsync(registered, payment, refusal);
                return false;
            }
            SetBranch(branch, BranchState.Tried);
            await PublishProgressAsync();
        }

        Status = Status with { Step = PaymentStep.Confirming };
        await PublishProgressAsync();
        foreach (var branch in branches)
        {
            await RunBranchAsync(branch, TccOp.Confirm, BranchRequest(branch, payment, Status.Round));
            SetBranch(branch, BranchState.Confirmed);
        }
        Status = Status with { Accounting = AccountingState.Pending };
        await PublishProgressAsync();
        await MoveAsync(PaymentStatus.Paid, PaymentStep.PostingVoucher);
        return true;
    }

    /// <summary>Runs a try; the refusal (or the failure that outlived the try's retries) when it did not reserve anything.</summary>
    private async Task<string?> TryBranchAsync(Branch branch, PaymentFacts payment)
    {
        try
        {
            var outcome = await RunBranchAsync(branch, TccOp.Try, BranchRequest(branch, payment, Status.Round));
            return outcome == TccOutcome.Hanging ? $"{branch} try arrived after its cancel" : null;
        }
        catch (ActivityFailureException failure)
        {
            Workflow.Logger.LogWarning("Payment {PaymentId}: {Branch} try failed: {Error}", payment.PaymentId, branch, Describe(failure));
            return Describe(failure);
        }
    }

    private async Task CompensateAsync(Stack<Branch> registered, PaymentFacts payment, string refusal)
    {
        Status = Status with { Step = PaymentStep.Cancelling, LastError = refusal };
        await PublishProgressAsync();
        while (registered.TryPop(out var branch))
        {
            await RunBranchAsync(branch, TccOp.Cancel, BranchRequest(branch, payment, Status.Round));
            SetBranch(branch, BranchState.Cancelled);
        }
        await PublishProgressAsync();
    }

    /// <summary>After the pivot: the notification starts at once and the voucher is posted meanwhile; neither waits for the other.</summary>
    private async Task<PaymentCompletionResult> FinishPaidAsync(PaymentFacts payment)
    {
        var notification = StartNotificationAsync(payment, PaymentStatus.Paid);
        var voucher = Workflow.ExecuteActivityAsync(
            (AccountingActivities a) => a.PostPaymentVoucherAsync(
                new PaymentVoucherRequest(payment.PaymentId, payment.MerchantId, payment.Amount, payment.Fee, payment.NetAmount)),
            StepOptions.Voucher);
        await Workflow.WhenAllAsync(notification, voucher);
        Status = Status with { Step = PaymentStep.Done, Accounting = AccountingState.Posted };
        await PublishProgressAsync();
        return new PaymentCompletionResult(PaymentStatus.Paid, await voucher);
    }

    private async Task<Resolution> WaitForResolutionAsync()
    {
        await Workflow.WaitConditionAsync(() => _resolution is not null);
        var resolution = _resolution!;
        _resolution = null;
        return resolution;
    }

    /// <summary>Returns the shopper's money; null when the bank refused the refund and the payment waits for another decision.</summary>
    private async Task<PaymentCompletionResult?> RefundAsync(PaymentFacts payment)
    {
        Status = Status with { Step = PaymentStep.Refunding, LastError = null };
        await PublishProgressAsync();
        try
        {
            await Workflow.ExecuteActivityAsync(
                (RefundActivities a) => a.RequestRefundAsync(new RefundRequest(
                    payment.PaymentId, Identifiers.RefundId(payment.PaymentId), payment.BankTxnId, payment.Amount, payment.Currency)),
                StepOptions.Refund);
        }
        catch (ActivityFailureException failure)
        {
            Workflow.Logger.LogError("Payment {PaymentId}: the bank refused the refund: {Error}", payment.PaymentId, Describe(failure));
            Status = Status with { Step = PaymentStep.WaitingForOperator, LastError = Describe(failure) };
            await PublishProgressAsync();
            return null;
        }
        Status = Status with { Accounting = AccountingState.Pending };
        var voucherId = await Workflow.ExecuteActivityAsync(
            (AccountingActivities a) => a.PostRefundVoucherAsync(new RefundVoucherRequest(payment.PaymentId, payment.UserId, payment.Amount)),
            StepOptions.Voucher);
        Status = Status with { Accounting = AccountingState.Posted };
        await MoveAsync(PaymentStatus.Refunded, PaymentStep.Refunding);
        await StartNotificationAsync(payment, PaymentStatus.Refunded);
        Status = Status with { Step = PaymentStep.Done };
        await PublishProgressAsync();
        return new PaymentCompletionResult(PaymentStatus.Refunded, voucherId);
    }

    private async Task StartNotificationAsync(PaymentFacts payment, PaymentStatus status)
    {
        var facts = new NotificationFacts(
            payment.PaymentId, payment.MerchantId, payment.MerchantOrderNo, payment.NotifyUrl, payment.Amount, payment.Currency, status, payment.PaidAt);
        try
        {
            await Workflow.StartChildWorkflowAsync(
                (MerchantNotificationWorkflow wf) => wf.RunAsync(new MerchantNotificationInput(facts)),
                new ChildWorkflowOptions
                {
                    Id = Identifiers.NotificationWorkflowId(payment.PaymentId),
                    ParentClosePolicy = ParentClosePolicy.Abandon,
                });
        }
        catch (WorkflowAlreadyStartedException)
        {
            Workflow.Logger.LogWarning("Payment {PaymentId}: the notification workflow already exists", payment.PaymentId);
        }
        Status = Status with { Notification = NotificationState.Pending };
    }

    /// <summary>Moves the order (idempotent: already there is success) and keeps the query and the search attribute in step.</summary>
    private async Task MoveAsync(PaymentStatus status, PaymentStep step)
    {
        await Workflow.ExecuteActivityAsync((OrderActivities a) => a.MoveStatusAsync(new StatusMove(Status.PaymentId, status, step)), StepOptions.Order);
        Status = Status with { Status = status, Step = step };
        Workflow.UpsertTypedSearchAttributes(PaymentsTemporal.PaymentStatus.ValueSet(WireName.Of(status)));
    }

    /// <summary>Writes step, branch and accounting states to the payment view, which is read from PostgreSQL.</summary>
    private Task PublishProgressAsync() => Workflow.ExecuteActivityAsync(
        (OrderActivities a) => a.RecordProgressAsync(
            new PaymentProgress(Status.PaymentId, Status.Step, Status.FundAccount, Status.PointsAccount, Status.Accounting)),
        StepOptions.Order);

    private void SetBranch(Branch branch, BranchState state) => Status = branch == Branch.FundAccount
        ? Status with { FundAccount = state }
        : Status with { PointsAccount = state };
}
