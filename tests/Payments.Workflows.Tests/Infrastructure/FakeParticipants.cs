using System.Collections.Concurrent;
using Payments.Activities;
using Payments.Activities.Bank;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Refunds;
using Payments.Activities.Tcc;
using Payments.Domain;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Worker;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>
/// The participants replaced by test implementations (as the Temporal samples do), for one payment on a task queue of
/// its own: the order row (status, bank result, decisions), the bank's scripted answers, and what each step saw.
/// </summary>
internal sealed class FakeParticipants
{
    private readonly ConcurrentQueue<BankQueryAnswer> _bankAnswers = new();
    private readonly ConcurrentQueue<string> _refundRefusals = new();
    private readonly ConcurrentQueue<PaymentStatus> _moveRefusals = new();
    private readonly object _row = new();
    private readonly TaskCompletionSource _heldMoveRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _heldAttemptRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _heldVoucherRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeParticipants(string paymentId, DateTimeOffset createdAt)
    {
        PaymentId = paymentId;
        CreatedAt = createdAt;
    }

    public string PaymentId { get; }

    public DateTimeOffset CreatedAt { get; }

    public string TaskQueue { get; } = $"fakes-{Guid.NewGuid():N}";

    public PaymentStatus Status { get; private set; } = PaymentStatus.Created;

    public string? LastError { get; private set; }

    public RecordedBankResult? Recorded { get; private set; }

    /// <summary>When each status query was asked (the workflow's clock).</summary>
    public ConcurrentQueue<DateTimeOffset> Queries { get; } = new();

    public ConcurrentQueue<PaymentDecision> Decisions { get; } = new();

    public ConcurrentQueue<PaymentStatus> Moves { get; } = new();

    public ConcurrentQueue<string> Refunds { get; } = new();

    public ConcurrentQueue<PaymentStatus> Notified { get; } = new();

    /// <summary>Refunds, late-debit vouchers and late-debit ends in the order they happened.</summary>
    public ConcurrentQueue<string> LateDebitEffects { get; } = new();

    /// <summary>The fund try's refusal (an error type such as MerchantFrozen), or null to reserve.</summary>
    public string? FundTryRefusal { get; set; }

    /// <summary>The points try fails with a transient error on every attempt.</summary>
    public bool PointsTryBroken { get; set; }

    /// <summary>The first move to this status waits, once <see cref="HeldMoveReached"/>, until <see cref="ReleaseHeldMove"/>.</summary>
    public PaymentStatus? HoldFirstMoveTo { get; set; }

    /// <summary>Completes when the held move has started (inside its workflow task, for a local step).</summary>
    public TaskCompletionSource HeldMoveReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseHeldMove() => _heldMoveRelease.TrySetResult();

    /// <summary>The notification schedule the settings step returns: one attempt at once unless told otherwise.</summary>
    public IReadOnlyList<TimeSpan> NotificationSchedule { get; set; } = [TimeSpan.Zero];

    /// <summary>The merchant answers attempts numbered up to this with HTTP 500, later ones with success.</summary>
    public int FailedNotificationAttempts { get; set; }

    /// <summary>The first notification attempt waits, once <see cref="HeldAttemptReached"/>, until <see cref="ReleaseHeldAttempt"/>.</summary>
    public bool HoldFirstAttempt { get; set; }

    public TaskCompletionSource HeldAttemptReached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseHeldAttempt() => _heldAttemptRelease.TrySetResult();

    /// <summary>The payment voucher waits until <see cref="ReleaseHeldVoucher"/>, so the completion outlives its notification's handover.</summary>
    public bool HoldVoucher { get; set; }

    public void ReleaseHeldVoucher() => _heldVoucherRelease.TrySetResult();

    /// <summary>Each notification attempt's number, in order.</summary>
    public ConcurrentQueue<int> NotificationAttempts { get; } = new();

    /// <summary>The notification's recorded states, in order.</summary>
    public ConcurrentQueue<NotificationStatusUpdate> NotificationRecords { get; } = new();

    /// <summary>Answered by the bank to each query in turn; when none is left, <see cref="DefaultBankAnswer"/>.</summary>
    public FakeParticipants Answers(params BankQueryAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _bankAnswers.Enqueue(answer);
        }
        return this;
    }

    public BankQueryAnswer DefaultBankAnswer { get; set; } = new(BankQueryKind.Error, Error: "HTTP 503");

    public void RefuseNextRefund(string why) => _refundRefusals.Enqueue(why);

    /// <summary>The next move to <paramref name="to"/> is refused as an illegal transition (the row changed behind the workflow).</summary>
    public void RefuseNextMoveTo(PaymentStatus to) => _moveRefusals.Enqueue(to);

    /// <summary>A callback recorded on the row behind the workflow's back (it races the query or the close).</summary>
    public void RecordBehindTheWorkflow(BankResult result)
    {
        lock (_row)
        {
            Recorded ??= new RecordedBankResult("B-race", result, CreatedAt);
        }
    }

    public BankQueryAnswer Debited(string bankTxnId = "B-queried", long amount = 10_000) =>
        new(BankQueryKind.Record, new BankCallback(PaymentId, bankTxnId, amount, "CNY", BankResult.Success, CreatedAt.AddMinutes(1)));

    public TemporalWorker Worker(ITemporalClient client) => new(
        client,
        new TemporalWorkerOptions(TaskQueue).AddAllActivities(this).AddWorkflow<PaymentCompletionWorkflow>().AddWorkflow<MerchantNotificationWorkflow>()
            .AddWorkflow<LateDebitRefundWorkflow>());

    /// <summary>
    /// Runs the test on this worker, then lets the notification child (which outlives its parent) finish, so no task of
    /// this queue stays in flight after the worker stops: the time-skipping server would never skip time again.
    /// </summary>
    public Task<T> RunAsync<T>(TemporalWorker worker, ITemporalClient client, Func<Task<T>> test) => worker.ExecuteAsync(async () =>
    {
        var result = await test();
        try
        {
            await client.GetWorkflowHandle(Identifiers.NotificationWorkflowId(PaymentId)).GetResultAsync();
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            // No notification for this path.
        }
        return result;
    });

    public Task RunAsync(TemporalWorker worker, ITemporalClient client, Func<Task> test) => RunAsync(worker, client, async () =>
    {
        await test();
        return true;
    });

    public Task<WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult>> StartAsync(ITemporalClient client, params TimeSpan[] querySchedule)
    {
        var input = new PaymentCompletionInput(PaymentId, BankQuerySchedule: querySchedule, ExpireAfter: TimeSpan.FromMinutes(30));
        return client.StartWorkflowAsync(
            (PaymentCompletionWorkflow wf) => wf.RunAsync(input), new WorkflowOptions(Identifiers.CompletionWorkflowId(PaymentId), TaskQueue));
    }

    /// <summary>The completion workflow of this payment, once a test has started it.</summary>
    public WorkflowHandle Completion(ITemporalClient client) => client.GetWorkflowHandle(Identifiers.CompletionWorkflowId(PaymentId));

    [Activity("LoadPayment")]
    public PaymentFacts LoadPayment(string paymentId) => new(
        paymentId, "m_fake", "A-1", "u_fake", 10_000, "CNY", 60, 9_940, 100, "http://127.0.0.1:9/notify", Status, Recorded?.BankTxnId, Recorded?.PaidAt,
        CreatedAt, CreatedAt.AddMinutes(30), Recorded?.Result);

    [Activity("LoadCompletionStart")]
    public CompletionStart LoadCompletionStart(string paymentId) => new(LoadPayment(paymentId), GetNotificationSettings());

    [Activity("MoveStatus")]
    public async Task MoveStatus(StatusMove move)
    {
        if (move.To == HoldFirstMoveTo && HeldMoveReached.TrySetResult())
        {
            await _heldMoveRelease.Task;
        }
        lock (_row)
        {
            if (_moveRefusals.TryPeek(out var refused) && refused == move.To && _moveRefusals.TryDequeue(out _))
            {
                throw ParticipantErrors.Refusal(ParticipantErrors.IllegalTransition, $"{Status} → {move.To} refused by the test");
            }
            if (Status != move.To && !PaymentStatusMachine.AllowedFrom(move.To).Contains(Status))
            {
                throw ParticipantErrors.Refusal(ParticipantErrors.IllegalTransition, $"{Status} → {move.To}");
            }
            Status = move.To;
            LastError = move.LastError;
            Moves.Enqueue(move.To);
        }
    }

    [Activity("RecordProgress")]
    public void RecordProgress(PaymentProgress progress)
    {
    }

    [Activity("RecordBankResult")]
    public BankCallbackResult RecordBankResult(BankCallback result)
    {
        lock (_row)
        {
            if (result.Amount != 10_000)
            {
                return new BankCallbackResult(BankCallbackOutcome.Mismatch, Recorded);
            }
            if (Recorded is null && Status == PaymentStatus.Created)
            {
                Recorded = new RecordedBankResult(result.BankTxnId, result.Result, result.PaidAt ?? CreatedAt);
                return new BankCallbackResult(BankCallbackOutcome.Recorded, Recorded);
            }
            return new BankCallbackResult(Recorded?.BankTxnId == result.BankTxnId ? BankCallbackOutcome.Duplicate : BankCallbackOutcome.Conflict, Recorded);
        }
    }

    [Activity("TakeBankResult")]
    public async Task<BankCallbackResult> TakeBankResult(BankResultStep step)
    {
        var recording = RecordBankResult(step.Callback);
        if (recording.Recorded is { } recorded)
        {
            await MoveStatus(recorded.Result == BankResult.Success ? step.Debited : step.Failed);
        }
        return recording;
    }

    [Activity("CloseUnpaid")]
    public CloseOutcome CloseUnpaid(string paymentId)
    {
        lock (_row)
        {
            if (Recorded is not null)
            {
                return new CloseOutcome(false, Recorded);
            }
            Status = PaymentStatus.Closed;
            return new CloseOutcome(true, null);
        }
    }

    [Activity("RecordDecision")]
    public void RecordDecision(PaymentDecision decision) => Decisions.Enqueue(decision);

    [Activity("QueryBank")]
    public BankQueryAnswer QueryBank(string paymentId)
    {
        Queries.Enqueue(ActivityExecutionContext.Current.Info.CurrentAttemptScheduledTime);
        return _bankAnswers.TryDequeue(out var answer) ? answer : DefaultBankAnswer;
    }

    [Activity("TryCredit")]
    public TccOutcome TryCredit(TccRequest request) =>
        FundTryRefusal is { } refusal ? throw ParticipantErrors.Refusal(refusal, "refused by the test") : TccOutcome.Applied;

    [Activity("ConfirmCredit")]
    public TccOutcome ConfirmCredit(TccRequest request) => TccOutcome.Applied;

    [Activity("CancelCredit")]
    public TccOutcome CancelCredit(TccRequest request) => TccOutcome.Applied;

    [Activity("TryAward")]
    public TccOutcome TryAward(TccRequest request) =>
        PointsTryBroken ? throw new InvalidOperationException("points account unreachable") : TccOutcome.Applied;

    [Activity("ConfirmAward")]
    public TccOutcome ConfirmAward(TccRequest request) => TccOutcome.Applied;

    [Activity("CancelAward")]
    public TccOutcome CancelAward(TccRequest request) => TccOutcome.Applied;

    [Activity("PostPaymentVoucher")]
    public async Task<string> PostPaymentVoucher(Activities.Accounting.PaymentVoucherRequest request)
    {
        if (HoldVoucher)
        {
            await _heldVoucherRelease.Task;
        }
        return $"vch_{request.PaymentId}";
    }

    [Activity("PostRefundVoucher")]
    public string PostRefundVoucher(Activities.Accounting.RefundVoucherRequest request) => $"vch_{request.PaymentId}";

    [Activity("RequestRefund")]
    public RefundReceipt RequestRefund(RefundRequest request)
    {
        if (_refundRefusals.TryDequeue(out var why))
        {
            throw ParticipantErrors.Refusal(ParticipantErrors.RefundRejected, why);
        }
        Refunds.Enqueue(request.RefundId);
        LateDebitEffects.Enqueue($"refund {request.RefundId}");
        return new RefundReceipt(request.RefundId, 200);
    }

    [Activity("PostLateDebitRefundVoucher")]
    public string PostLateDebitRefundVoucher(Activities.Accounting.LateDebitVoucherRequest request)
    {
        var voucherId = Identifiers.LateDebitVoucherId(request.PaymentId, request.BankTxnId);
        LateDebitEffects.Enqueue($"voucher {voucherId} {request.UserId} {request.Amount}");
        return voucherId;
    }

    [Activity("EndLateDebitRefund")]
    public void EndLateDebitRefund(LateDebitRefundEnd end) => LateDebitEffects.Enqueue($"end {end.BankTxnId} {end.Status}");

    [Activity("GetNotificationSettings")]
    public NotificationSettings GetNotificationSettings() => new(NotificationSchedule, 50);

    [Activity("AttemptNotification")]
    public async Task<NotificationAttemptRecord> AttemptNotification(NotificationRequest request)
    {
        Notified.Enqueue(request.Status);
        NotificationAttempts.Enqueue(request.Number);
        if (request.Number == 1 && HoldFirstAttempt && HeldAttemptReached.TrySetResult())
        {
            await _heldAttemptRelease.Task;
        }
        if (request.Number <= FailedNotificationAttempts)
        {
            return new NotificationAttemptRecord(request.Number, request.At, 500, NotificationOutcome.HttpError, "HTTP 500: busy");
        }
        // As the real attempt does: a delivered attempt records DELIVERED itself.
        NotificationRecords.Enqueue(new NotificationStatusUpdate(request.PaymentId, request.NotifyId, NotificationState.Delivered, null));
        return new NotificationAttemptRecord(request.Number, request.At, 200, NotificationOutcome.Delivered, null);
    }

    [Activity("RecordNotificationOutcome")]
    public void RecordNotificationOutcome(NotificationStatusUpdate update) => NotificationRecords.Enqueue(update);
}
