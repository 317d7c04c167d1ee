using System.Linq.Expressions;
using Microsoft.Extensions.Logging;
using Payments.Activities.Accounting;
using Payments.Activities.Bank;
using Payments.Activities.Funds;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Refunds;
using Payments.Activities.Tcc;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>
/// <c>payment-{paymentId}</c> owns a payment from its creation: it waits for the bank's result (the <c>bankResult</c>
/// signal, or the bank's status query when the callback is late), closes the order nobody paid at its expiry, then
/// completes a debited payment as a saga — TCC tries on the fund and points accounts (compensated in reverse when one is
/// refused, then SUSPENDED until an operator decides), confirms and the PAID pivot, then only forward steps: the merchant
/// notification (a child that outlives this workflow) and the voucher, retried until the ledger takes it. After the
/// creation it is the only writer of the payment's status.
/// </summary>
[Workflow("PaymentCompletion")]
public sealed class PaymentCompletionWorkflow
{
    private static readonly TimeSpan FirstQueryBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxQueryBackoff = TimeSpan.FromHours(1);

    private readonly Queue<BankResultSignal> _bankResults = new();
    private Resolution? _resolution;
    private bool _deciding;
    private int _decisions;
    private int _moves;
    private bool _localSteps;
    private bool _localFailedMove;
    private bool _firstAttemptHere;
    private bool _fewerSteps;
    private bool _movedWithResult;
    private bool _settingsWithLoad;
    private NotificationSettings? _notificationSettings;
    private FirstNotification _firstNotification;
    private bool _notificationRetryRequested;
    private bool _notificationAcknowledged;

    [WorkflowInit]
    public PaymentCompletionWorkflow(PaymentCompletionInput input) =>
        Status = new PaymentCompletionStatus(
            input.PaymentId,
            input.Result is null ? PaymentStatus.Created : PaymentStatus.Processing,
            input.Result is null ? PaymentStep.WaitingForBank : PaymentStep.Received,
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

    /// <summary>Where the notification stands while this run owns it (since <see cref="Patches.FirstNotificationAttempt"/>).</summary>
    private enum FirstNotification
    {
        NotYet,
        Attempting,
        HandingOver,
        HandedOver,
        Ended,
    }

    [WorkflowQuery("status")]
    public PaymentCompletionStatus Status { get; private set; }

    /// <summary>An operator may decide now: the payment waits for one and no decision is being taken.</summary>
    private bool WaitsForOperator => Status.Step == PaymentStep.WaitingForOperator && !_deciding && _resolution is null;

    [WorkflowRun]
    public async Task<PaymentCompletionResult> RunAsync(PaymentCompletionInput input)
    {
        var result = await CompleteAsync(input);
        // An update or signal handler still recording a decision finishes before the run does.
        await Workflow.WaitConditionAsync(() => Workflow.AllHandlersFinished);
        return result;
    }

    /// <summary>
    /// The bank's result for a payment waiting for it. The API records the callback on the order first; this records it
    /// again (a no-op then), so a <c>bankResult</c> typed in the Temporal UI goes through the same compare-and-set and checks.
    /// </summary>
    [WorkflowSignal("bankResult")]
    public Task BankResultAsync(BankResultSignal result)
    {
        if (Status.Step != PaymentStep.WaitingForBank)
        {
            Workflow.Logger.LogInformation(
                "Payment {PaymentId}: bankResult {BankTxnId} ignored, the bank's result is already known", Status.PaymentId, result.BankTxnId);
            return Task.CompletedTask;
        }
        _bankResults.Enqueue(result);
        return Task.CompletedTask;
    }

    /// <summary>The API's decision: accepted only while the payment waits for an operator, so of concurrent ones exactly one passes.</summary>
    [WorkflowUpdateValidator(nameof(DecideAsync))]
    public void ValidateDecision(Resolution resolution)
    {
        if (!WaitsForOperator)
        {
            throw new ApplicationFailureException(
                $"Payment {Status.PaymentId} is {WireName.Of(Status.Status)} at step {WireName.Of(Status.Step)}: it does not wait for an operator's decision.",
                errorType: "NotWaitingForOperator");
        }
    }

    /// <summary>The <c>resolve</c> update (the API): the decision is recorded on the order, then the payment moves to PROCESSING.</summary>
    [WorkflowUpdate("resolve")]
    public Task<Resolution> DecideAsync(Resolution resolution) => TakeDecisionAsync(resolution, ResolutionSource.Api);

    /// <summary>
    /// The <c>resolve</c> signal (the Temporal UI or CLI), served by the same code as the update; ignored unless the payment
    /// waits for an operator.
    /// </summary>
    [WorkflowSignal("resolve")]
    public async Task ResolveAsync(Resolution resolution)
    {
        if (!WaitsForOperator)
        {
            Workflow.Logger.LogWarning(
                "Payment {PaymentId}: resolve {Action} ignored, the workflow is at step {Step}", Status.PaymentId, resolution.Action, Status.Step);
            return;
        }
        if (_localSteps || Workflow.Patched(Patches.DecisionMovesToProcessing))
        {
            await TakeDecisionAsync(resolution, ResolutionSource.Ui);
            return;
        }
        // The previous version: the API had moved the order out of SUSPENDED before it signalled.
        Workflow.Logger.LogInformation(
            "Payment {PaymentId}: operator chose {Action} ({Reason})", Status.PaymentId, resolution.Action, resolution.Reason);
        _resolution = resolution;
    }

    /// <summary>
    /// The API's <c>retry</c> for a notification whose <c>notify-{paymentId}</c> does not exist yet: while this run's first
    /// attempt is in flight, a failed attempt hands over with an extra attempt due at once; once handed over, passed on.
    /// </summary>
    [WorkflowSignal("notificationRetryNow")]
    public Task NotificationRetryNowAsync() => SteerNotificationAsync(acknowledge: false);

    /// <summary>The merchant's <c>ack</c> while this run owns the notification: a failed first attempt ends ACKNOWLEDGED; once handed over, passed on.</summary>
    [WorkflowSignal("notificationAcknowledge")]
    public Task NotificationAcknowledgeAsync() => SteerNotificationAsync(acknowledge: true);

    private async Task<PaymentCompletionResult> CompleteAsync(PaymentCompletionInput input)
    {
        // The first step already differs between the versions, so a run decides here, once, which one it follows. A run of
        // this version started at creation and takes every revision-2 path: those patches are implied, so no patch marker
        // follows a local activity's marker (replaying one that did failed as non-deterministic when the task was retried).
        _localSteps = Workflow.Patched(Patches.LocalDatabaseSteps);
        _localFailedMove = _localSteps && Workflow.Patched(Patches.LocalFailedMove);
        _firstAttemptHere = _localFailedMove && Workflow.Patched(Patches.FirstNotificationAttempt);
        _fewerSteps = _firstAttemptHere && Workflow.Patched(Patches.FewerSteps);
        _settingsWithLoad = _fewerSteps && Workflow.Patched(Patches.SettingsWithLoad);
        var payment = await LoadAsync(input.PaymentId);
        Workflow.UpsertTypedSearchAttributes(PaymentsTemporal.MerchantId.ValueSet(payment.MerchantId));
        var bankResult = input.Result;
        if (bankResult is null && (_localSteps || Workflow.Patched(Patches.StartAtCreation)))
        {
            if (await AwaitBankResultAsync(payment, input) is not { } recorded)
            {
                return await FinishClosedAsync(payment);
            }
            payment = payment with { BankTxnId = recorded.BankTxnId, BankResult = recorded.Result, PaidAt = recorded.PaidAt };
            bankResult = recorded.Result;
        }
        if (bankResult == BankResult.Failed)
        {
            // Local since LocalFailedMove: a signal landing during this closing task gets the close refused, and the next
            // task replays with it (before, the devserver let the worker keep its cached run, so that move was an activity).
            if (!_movedWithResult)
            {
                await MoveAsync(PaymentStatus.Failed, PaymentStep.Done, local: _localFailedMove);
            }
            return new PaymentCompletionResult(PaymentStatus.Failed, null);
        }
        if (!_movedWithResult)
        {
            await MoveAsync(PaymentStatus.Processing, PaymentStep.Trying);
        }
        while (true)
        {
            if (await (_localSteps ? TryRoundConcurrentlyAsync(payment) : TryRoundAsync(payment)))
            {
                return await FinishPaidAsync(payment);
            }
            await MoveAsync(PaymentStatus.Suspended, PaymentStep.WaitingForOperator);
            while (true)
            {
                var resolution = await WaitForResolutionAsync();
                if (resolution.Action == ResolutionAction.Retry)
                {
                    if (_localSteps)
                    {
                        // The decision's answer leaves with the workflow task that took it: end that task before the round's local steps run.
                        await Workflow.DelayAsync(TimeSpan.FromMilliseconds(1));
                    }
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
    /// The order's facts; since <see cref="Patches.SettingsWithLoad"/> with the notification schedule in the same local
    /// activity, kept for the notification (before, a local activity of its own read it after the payment's end).
    /// </summary>
    private async Task<PaymentFacts> LoadAsync(string paymentId)
    {
        if (!_settingsWithLoad)
        {
            return await OrderStepAsync(a => a.LoadPaymentAsync(paymentId));
        }
        var start = await Workflow.ExecuteLocalActivityAsync(
            (CompletionStartActivities a) => a.LoadCompletionStartAsync(paymentId), StepOptions.LocalOwnRecords);
        _notificationSettings = start.NotificationSettings;
        return start.Payment;
    }

    /// <summary>
    /// Records the decision and moves the payment to PROCESSING. The flag is set before the first await, so no second
    /// decision passes validation while this one is being recorded; a decision that fails on the way (its update fails)
    /// leaves the payment waiting for an operator, as it was.
    /// </summary>
    private async Task<Resolution> TakeDecisionAsync(Resolution resolution, ResolutionSource source)
    {
        _deciding = true;
        // Before this patch a failed decision kept the flag for good; a run stuck so must go on ignoring later decisions.
        var failureReleases = Workflow.Patched(Patches.FailedDecisionReleases);
        var before = Status;
        var decision = new PaymentDecision(Status.PaymentId, ++_decisions, resolution.Action, resolution.Reason, source, Workflow.UtcNow);
        Workflow.Logger.LogInformation(
            "Payment {PaymentId}: operator chose {Action} from {Source} ({Reason})", Status.PaymentId, resolution.Action, source, resolution.Reason);
        try
        {
            await OrderStepAsync(a => a.RecordDecisionAsync(decision));
            Status = Status with { LastError = null };
            await MoveAsync(PaymentStatus.Processing, resolution.Action == ResolutionAction.Retry ? PaymentStep.Trying : PaymentStep.Refunding);
        }
        catch (FailureException failure) when (failureReleases)
        {
            Workflow.Logger.LogError(
                "Payment {PaymentId}: decision {Number} {Action} failed, still waiting for an operator: {Error}",
                Status.PaymentId, decision.Number, resolution.Action, Describe(failure));
            Status = before;
            _deciding = false;
            throw;
        }
        _resolution = resolution;
        return resolution;
    }

    /// <summary>
    /// Waits for the bank's result: the <c>bankResult</c> signal, the status query at each offset of the schedule before
    /// expiry, then at expiry until the bank gives a definite answer. Null once the order is closed (the bank has no record).
    /// </summary>
    private async Task<RecordedBankResult?> AwaitBankResultAsync(PaymentFacts payment, PaymentCompletionInput input)
    {
        if (payment.BankResult is { } known)
        {
            // Recorded before this run started (a repaired order): the row already decided.
            return new RecordedBankResult(payment.BankTxnId!, known, payment.PaidAt);
        }
        var createdAt = payment.CreatedAt!.Value;
        var expiresAt = payment.ExpiresAt ?? createdAt + input.ExpireAfter!.Value;
        foreach (var queryAt in (input.BankQuerySchedule ?? []).Select(offset => createdAt + offset).Where(at => at < expiresAt))
        {
            if (await SignalledResultAsync(queryAt) is { } signalled)
            {
                return signalled;
            }
            if (await AskBankAsync(payment.PaymentId) is { Recorded: { } recorded })
            {
                return recorded;
            }
        }
        if (await SignalledResultAsync(expiresAt) is { } beforeExpiry)
        {
            return beforeExpiry;
        }
        var backoff = FirstQueryBackoff;
        while (true)
        {
            var answer = await AskBankAsync(payment.PaymentId);
            if (answer.Recorded is { } recorded)
            {
                return recorded;
            }
            if (answer.Kind == BankQueryKind.NoRecord)
            {
                var close = await OrderStepAsync(a => a.CloseUnpaidAsync(payment.PaymentId));
                return close.Closed ? null : close.Recorded;
            }
            if (answer.Kind == BankQueryKind.Record)
            {
                // A record the order cannot take (kept as a bank exception) is definite: only a callback decides now.
                Workflow.Logger.LogWarning("Payment {PaymentId}: the bank's record does not match the order; waiting for its callback", payment.PaymentId);
                return await SignalledResultAsync(null);
            }
            Workflow.Logger.LogWarning(
                "Payment {PaymentId}: expired, but the bank's status query failed ({Error}); the order stays open, asking again in {Backoff}",
                payment.PaymentId, answer.Error, backoff);
            if (await SignalledResultAsync(Workflow.UtcNow + backoff) is { } signalled)
            {
                return signalled;
            }
            backoff = backoff * 2 < MaxQueryBackoff ? backoff * 2 : MaxQueryBackoff;
        }
    }

    /// <summary>One status query, its record (if any) recorded like a callback; <c>Recorded</c> is what the order then holds.</summary>
    private async Task<(BankQueryKind Kind, RecordedBankResult? Recorded, string? Error)> AskBankAsync(string paymentId)
    {
        BankQueryAnswer answer;
        try
        {
            answer = await Workflow.ExecuteActivityAsync((BankQueryActivities a) => a.QueryBankAsync(paymentId), StepOptions.BankQuery);
        }
        catch (ActivityFailureException failure)
        {
            return (BankQueryKind.Error, null, Describe(failure));
        }
        if (answer.Record is not { } record)
        {
            return (answer.Kind, null, answer.Error);
        }
        var recording = await OrderStepAsync(a => a.RecordBankResultAsync(record));
        return (answer.Kind, recording.Recorded, answer.Error);
    }

    /// <summary>The first signalled result the order takes (a mismatch is kept as a bank exception and waited past), or null at <paramref name="until"/>.</summary>
    private async Task<RecordedBankResult?> SignalledResultAsync(DateTimeOffset? until)
    {
        while (true)
        {
            if (until is { } deadline)
            {
                var left = deadline - Workflow.UtcNow;
                if (_bankResults.Count == 0 && (left <= TimeSpan.Zero || !await Workflow.WaitConditionAsync(() => _bankResults.Count > 0, left)))
                {
                    return null;
                }
            }
            else
            {
                await Workflow.WaitConditionAsync(() => _bankResults.Count > 0);
            }
            var signal = _bankResults.Dequeue();
            var callback = new BankCallback(Status.PaymentId, signal.BankTxnId, signal.Amount, signal.Currency, signal.Result, signal.PaidAt);
            var recording = _fewerSteps ? await TakeBankResultAsync(callback) : await OrderStepAsync(a => a.RecordBankResultAsync(callback));
            if (recording.Recorded is { } recorded)
            {
                if (!_movedWithResult)
                {
                    Status = Status with { Step = PaymentStep.Received };
                }
                return recorded;
            }
            Workflow.Logger.LogWarning(
                "Payment {PaymentId}: bankResult {BankTxnId} not taken: {Outcome}", Status.PaymentId, signal.BankTxnId, recording.Outcome);
        }
    }

    /// <summary>
    /// Since <see cref="Patches.FewerSteps"/>: the signalled result recorded and its move (PROCESSING for a debit, FAILED for a
    /// failure) made by one order step, one transaction; the move's number is spent only when the order took a result.
    /// </summary>
    private async Task<BankCallbackResult> TakeBankResultAsync(BankCallback callback)
    {
        var debited = NextMove(PaymentStatus.Processing, PaymentStep.Trying);
        var failed = NextMove(PaymentStatus.Failed, PaymentStep.Done);
        var recording = await OrderStepAsync(a => a.TakeBankResultAsync(new BankResultStep(callback, debited, failed)));
        if (recording.Recorded is { } recorded)
        {
            _moves = debited.Number!.Value;
            _movedWithResult = true;
            Moved(recorded.Result == BankResult.Success ? debited : failed);
        }
        return recording;
    }

    /// <summary>Closed unpaid at expiry: the merchant is notified with status CLOSED.</summary>
    private async Task<PaymentCompletionResult> FinishClosedAsync(PaymentFacts payment)
    {
        Status = Status with { Status = PaymentStatus.Closed, Step = PaymentStep.Done };
        Workflow.UpsertTypedSearchAttributes(PaymentsTemporal.PaymentStatus.ValueSet(WireName.Of(PaymentStatus.Closed)));
        await NotifyAsync(payment, PaymentStatus.Closed);
        return new PaymentCompletionResult(PaymentStatus.Closed, null);
    }

    private static TccRequest BranchRequest(Branch branch, PaymentFacts payment, int round) => branch == Branch.FundAccount
        ? new TccRequest(payment.PaymentId, round, payment.MerchantId, payment.NetAmount)
        : new TccRequest(payment.PaymentId, round, payment.UserId, payment.Points);

    private Task<TccOutcome> RunBranchAsync(Branch branch, TccOp op, TccRequest request) => (branch, op) switch
    {
        (Branch.FundAccount, TccOp.Try) => TccStepAsync((FundAccountActivities a) => a.TryCreditAsync(request), op),
        (Branch.FundAccount, TccOp.Confirm) => TccStepAsync((FundAccountActivities a) => a.ConfirmCreditAsync(request), op),
        (Branch.FundAccount, _) => TccStepAsync((FundAccountActivities a) => a.CancelCreditAsync(request), op),
        (_, TccOp.Try) => TccStepAsync((PointsActivities a) => a.TryAwardAsync(request), op),
        (_, TccOp.Confirm) => TccStepAsync((PointsActivities a) => a.ConfirmAwardAsync(request), op),
        _ => TccStepAsync((PointsActivities a) => a.CancelAwardAsync(request), op),
    };

    /// <summary>A TCC call: a local activity since <see cref="Patches.LocalDatabaseSteps"/> (the barrier makes a repeat harmless).</summary>
    private Task<TccOutcome> TccStepAsync<TActivities>(Expression<Func<TActivities, Task<TccOutcome>>> call, TccOp op) => _localSteps
        ? Workflow.ExecuteLocalActivityAsync(call, op == TccOp.Try ? StepOptions.LocalTccTry : StepOptions.LocalTccSettle)
        : Workflow.ExecuteActivityAsync(call, op == TccOp.Try ? StepOptions.TccTry : StepOptions.TccSettle);

    /// <summary>
    /// A short, idempotent step on the order's own table: a local activity since <see cref="Patches.LocalDatabaseSteps"/>
    /// (run by this worker inside the workflow task, recorded as a marker), an activity task through the server before.
    /// </summary>
    private Task<TResult> OrderStepAsync<TResult>(Expression<Func<OrderActivities, Task<TResult>>> call) => _localSteps
        ? Workflow.ExecuteLocalActivityAsync(call, StepOptions.LocalOwnRecords)
        : Workflow.ExecuteActivityAsync(call, StepOptions.OwnRecords);

    /// <inheritdoc cref="OrderStepAsync{TResult}"/>
    private Task OrderStepAsync(Expression<Func<OrderActivities, Task>> call) => _localSteps
        ? Workflow.ExecuteLocalActivityAsync(call, StepOptions.LocalOwnRecords)
        : Workflow.ExecuteActivityAsync(call, StepOptions.OwnRecords);

    /// <summary>What failed: an activity's failure is its cause; a local activity's failure reaches the workflow as itself.</summary>
    private static string Describe(FailureException failure) => (failure is ActivityFailureException { InnerException: { } inner } ? inner : failure) switch
    {
        ApplicationFailureException { ErrorType: { } type } application => $"{type}: {application.Message}",
        var cause => cause.Message,
    };

    /// <summary>
    /// One TCC round, both branches at once: both tries (each branch's cancel owed from before its try runs: a try may land
    /// even if we hear nothing), then both confirms, then PAID with the branch states in the same update. True when PAID,
    /// false once every branch is cancelled.
    /// </summary>
    private async Task<bool> TryRoundConcurrentlyAsync(PaymentFacts payment)
    {
        var branches = new[] { Branch.FundAccount, Branch.PointsAccount }
            .Where(branch => BranchRequest(branch, payment, Status.Round).Amount > 0) // a zero branch stays NONE
            .ToArray();
        var refusals = await Workflow.WhenAllAsync(branches.Select(branch => TryBranchAsync(branch, payment)));
        if (refusals.FirstOrDefault(refusal => refusal is not null) is { } refused)
        {
            await CompensateAsync(new Stack<Branch>(branches), payment, refused);
            return false;
        }
        Status = Status with { Step = PaymentStep.Confirming };
        await Workflow.WhenAllAsync(branches.Select(async branch =>
        {
            SetBranch(branch, BranchState.Tried);
            await RunBranchAsync(branch, TccOp.Confirm, BranchRequest(branch, payment, Status.Round));
            SetBranch(branch, BranchState.Confirmed);
        }));
        Status = Status with { Accounting = AccountingState.Pending };
        await MoveAsync(PaymentStatus.Paid, PaymentStep.PostingVoucher);
        return true;
    }

    /// <summary>The previous version's round: one branch after the other, the view written after each step.</summary>
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
        catch (FailureException failure) when (failure is ActivityFailureException or ApplicationFailureException or TimeoutFailureException)
        {
            Workflow.Logger.LogWarning("Payment {PaymentId}: {Branch} try failed: {Error}", payment.PaymentId, branch, Describe(failure));
            return Describe(failure);
        }
    }

    /// <summary>Cancels the registered branches in reverse order; the SUSPENDED move that follows carries their states (the previous version wrote them apart).</summary>
    private async Task CompensateAsync(Stack<Branch> registered, PaymentFacts payment, string refusal)
    {
        Status = Status with { Step = PaymentStep.Cancelling, LastError = refusal };
        if (!_localSteps)
        {
            await PublishProgressAsync();
        }
        while (registered.TryPop(out var branch))
        {
            await RunBranchAsync(branch, TccOp.Cancel, BranchRequest(branch, payment, Status.Round));
            SetBranch(branch, BranchState.Cancelled);
        }
        if (!_localSteps)
        {
            await PublishProgressAsync();
        }
    }

    /// <summary>After the pivot: the notification starts at once and the voucher is posted meanwhile; neither waits for the other.</summary>
    private async Task<PaymentCompletionResult> FinishPaidAsync(PaymentFacts payment)
    {
        var notification = NotifyAsync(payment, PaymentStatus.Paid);
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
        _deciding = false;
        return resolution;
    }

    /// <summary>Returns the shopper's money; null when the bank refused the refund and the payment waits for another decision.</summary>
    private async Task<PaymentCompletionResult?> RefundAsync(PaymentFacts payment)
    {
        Status = Status with { Step = PaymentStep.Refunding, LastError = null };
        if (!_localSteps)
        {
            // The decision's move to PROCESSING has written this step already since LocalDatabaseSteps.
            await PublishProgressAsync();
        }
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
            if (Status.Status == PaymentStatus.Processing && (_localSteps || Workflow.Patched(Patches.RefusedRefundSuspends)))
            {
                await MoveAsync(PaymentStatus.Suspended, PaymentStep.WaitingForOperator);
            }
            else
            {
                // The previous version: the API had already marked the order REFUNDED.
                await PublishProgressAsync();
            }
            return null;
        }
        Status = Status with { Accounting = AccountingState.Pending };
        var voucherId = await Workflow.ExecuteActivityAsync(
            (AccountingActivities a) => a.PostRefundVoucherAsync(new RefundVoucherRequest(payment.PaymentId, payment.UserId, payment.Amount)),
            StepOptions.Voucher);
        Status = Status with { Accounting = AccountingState.Posted };
        await MoveAsync(PaymentStatus.Refunded, PaymentStep.Refunding);
        await NotifyAsync(payment, PaymentStatus.Refunded);
        Status = Status with { Step = PaymentStep.Done };
        await PublishProgressAsync();
        return new PaymentCompletionResult(PaymentStatus.Refunded, voucherId);
    }

    /// <summary>
    /// Notifies the merchant of the payment's end. Since <see cref="Patches.FirstNotificationAttempt"/> the first attempt is
    /// this run's own activity (due at once on the schedule), recorded DELIVERED when it delivered; only a failed one starts
    /// <c>notify-{paymentId}</c>, carrying the attempt so the schedule goes on from its second slot. Before, the child made
    /// every attempt.
    /// </summary>
    private async Task NotifyAsync(PaymentFacts payment, PaymentStatus status)
    {
        var facts = new NotificationFacts(
            payment.PaymentId, payment.MerchantId, payment.MerchantOrderNo, payment.NotifyUrl, payment.Amount, payment.Currency, status, payment.PaidAt);
        if (!_firstAttemptHere)
        {
            await StartNotificationAsync(facts, new MerchantNotificationInput(facts));
            return;
        }
        Status = Status with { Notification = NotificationState.Pending };
        var settings = _notificationSettings ?? await NotificationSteps.SettingsAsync(local: true);
        if (settings.Schedule is not [var firstDelay, ..] || firstDelay > TimeSpan.Zero)
        {
            // A schedule whose first attempt waits: the notification workflow keeps that wait.
            _firstNotification = FirstNotification.HandingOver;
            await StartNotificationAsync(facts, new MerchantNotificationInput(facts, settings));
            _firstNotification = FirstNotification.HandedOver;
            return;
        }
        var notifyId = Identifiers.NotifyId(payment.PaymentId);
        _firstNotification = FirstNotification.Attempting;
        var attempt = await NotificationSteps.AttemptAsync(facts, notifyId, number: 1);
        if (attempt.Delivered || _notificationAcknowledged)
        {
            _firstNotification = FirstNotification.Ended;
            var state = attempt.Delivered ? NotificationState.Delivered : NotificationState.Acknowledged;
            if (!(attempt.Delivered && _fewerSteps))
            {
                // Since FewerSteps a delivered attempt has recorded DELIVERED itself.
                await NotificationSteps.RecordAsync(new NotificationStatusUpdate(payment.PaymentId, notifyId, state, null), local: true);
            }
            Status = Status with { Notification = state };
            return;
        }
        _firstNotification = FirstNotification.HandingOver;
        if (settings.SlotAt(1, attempt.At) is { } nextAttemptAt)
        {
            await NotificationSteps.RecordAsync(new NotificationStatusUpdate(payment.PaymentId, notifyId, NotificationState.Pending, nextAttemptAt), local: true);
        }
        var progress = new NotificationProgress(notifyId, [attempt], NextSlot: 1, SlotBase: attempt.At, _notificationRetryRequested);
        await StartNotificationAsync(facts, new MerchantNotificationInput(facts, settings, progress));
        _firstNotification = FirstNotification.HandedOver;
    }

    private async Task StartNotificationAsync(NotificationFacts facts, MerchantNotificationInput input)
    {
        try
        {
            await Workflow.StartChildWorkflowAsync(
                (MerchantNotificationWorkflow wf) => wf.RunAsync(input),
                new ChildWorkflowOptions
                {
                    Id = Identifiers.NotificationWorkflowId(facts.PaymentId),
                    ParentClosePolicy = ParentClosePolicy.Abandon,
                });
        }
        catch (WorkflowAlreadyStartedException)
        {
            Workflow.Logger.LogWarning("Payment {PaymentId}: the notification workflow already exists", facts.PaymentId);
        }
        Status = Status with { Notification = NotificationState.Pending };
    }

    /// <summary>A <c>retry</c> or <c>ack</c> the API sent here because <c>notify-{paymentId}</c> did not exist yet.</summary>
    private async Task SteerNotificationAsync(bool acknowledge)
    {
        if (_firstNotification == FirstNotification.HandingOver)
        {
            // The child's input is already written: wait for its start, then pass the signal on.
            await Workflow.WaitConditionAsync(() => _firstNotification != FirstNotification.HandingOver);
        }
        switch (_firstNotification)
        {
            case FirstNotification.Attempting when acknowledge:
                _notificationAcknowledged = true;
                break;
            case FirstNotification.Attempting:
                _notificationRetryRequested = true;
                break;
            case FirstNotification.HandedOver:
                await PassOnAsync(acknowledge);
                break;
            default:
                Workflow.Logger.LogInformation(
                    "Payment {PaymentId}: notification {Command} ignored, this run does not own the notification ({Stage})",
                    Status.PaymentId, acknowledge ? "acknowledge" : "retryNow", _firstNotification);
                break;
        }
    }

    private async Task PassOnAsync(bool acknowledge)
    {
        var child = Workflow.GetExternalWorkflowHandle<MerchantNotificationWorkflow>(Identifiers.NotificationWorkflowId(Status.PaymentId));
        try
        {
            await (acknowledge ? child.SignalAsync(wf => wf.AcknowledgeAsync()) : child.SignalAsync(wf => wf.RetryNowAsync()));
        }
        catch (FailureException failure)
        {
            // The notification workflow has ended meanwhile (a one-slot schedule gives up at once): nothing left to steer.
            Workflow.Logger.LogWarning(
                "Payment {PaymentId}: notification {Command} not passed on: {Error}", Status.PaymentId, acknowledge ? "acknowledge" : "retryNow", failure.Message);
        }
    }

    /// <summary>
    /// Moves the order with the branch and accounting states (idempotent: already there, or this run's move already applied,
    /// is success) and keeps the query and the search attribute in step. Since <see cref="Patches.LocalDatabaseSteps"/> the
    /// move carries its number in this run: a workflow task run again after a crash repeats its local steps in order.
    /// </summary>
    private async Task MoveAsync(PaymentStatus status, PaymentStep step, bool local = true)
    {
        var move = NextMove(status, step);
        if (_localSteps)
        {
            _moves = move.Number!.Value;
        }
        await (local ? OrderStepAsync(a => a.MoveStatusAsync(move)) : Workflow.ExecuteActivityAsync((OrderActivities a) => a.MoveStatusAsync(move), StepOptions.OwnRecords));
        Moved(move);
    }

    /// <summary>The next move of this run, numbered since <see cref="Patches.LocalDatabaseSteps"/>, with the view's states.</summary>
    private StatusMove NextMove(PaymentStatus status, PaymentStep step) => new(
        Status.PaymentId, status, step, Status.LastError, Status.FundAccount, Status.PointsAccount, Status.Accounting, _localSteps ? _moves + 1 : null);

    /// <summary>Keeps the query and the search attribute in step with a move the order made.</summary>
    private void Moved(StatusMove move)
    {
        Status = Status with { Status = move.To, Step = move.Step!.Value };
        Workflow.UpsertTypedSearchAttributes(PaymentsTemporal.PaymentStatus.ValueSet(WireName.Of(move.To)));
    }

    /// <summary>Writes step, branch and accounting states to the payment view, which is read from PostgreSQL.</summary>
    private Task PublishProgressAsync()
    {
        var progress = new PaymentProgress(Status.PaymentId, Status.Step, Status.FundAccount, Status.PointsAccount, Status.Accounting);
        return OrderStepAsync(a => a.RecordProgressAsync(progress));
    }

    private void SetBranch(Branch branch, BranchState state) => Status = branch == Branch.FundAccount
        ? Status with { FundAccount = state }
        : Status with { PointsAccount = state };

    /// <summary>The changed points since contract revision 1, each its own patch so runs of the previous versions keep replaying.</summary>
    private static class Patches
    {
        public const string StartAtCreation = "start-at-creation";
        public const string DecisionMovesToProcessing = "decision-moves-to-processing";
        public const string RefusedRefundSuspends = "refused-refund-suspends";

        /// <summary>A decision that fails on the way (its update fails) no longer blocks the next one.</summary>
        public const string FailedDecisionReleases = "failed-decision-releases";

        /// <summary>The order's steps and the TCC calls as local activities, both branches at once, progress carried by the moves.</summary>
        public const string LocalDatabaseSteps = "local-database-steps";

        /// <summary>The bank-FAILED move as a local activity too (runs of the previous version move by an activity).</summary>
        public const string LocalFailedMove = "local-failed-move";

        /// <summary>The first notification attempt made here, <c>notify-{paymentId}</c> started only when it failed.</summary>
        public const string FirstNotificationAttempt = "first-notification-attempt";

        /// <summary>
        /// The signalled bank result recorded and moved by one order step, and a delivered attempt recording DELIVERED itself:
        /// two local activities and four transactions fewer a paid payment.
        /// </summary>
        public const string FewerSteps = "fewer-steps";

        /// <summary>
        /// The notification schedule read with the order's facts by the first local activity, not by one of its own after the
        /// payment's end: a local activity fewer a payment, and none between PAID and the first notification attempt.
        /// </summary>
        public const string SettingsWithLoad = "settings-with-load";
    }
}
