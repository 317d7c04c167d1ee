using Payments.Activities.Accounting;
using Payments.Activities.Funds;
using Payments.Activities.Merchants;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Api.Queries;
using Payments.Domain;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>A payment order of its own merchant and user, paid by the bank (callback not yet recorded).</summary>
internal sealed record TestPayment(string PaymentId, string MerchantId, string UserId, string MerchantOrderNo, long Amount, string BankTxnId)
{
    public PaymentAmounts Amounts => PaymentAmounts.Of(Amount, Money.DefaultFeeBps);
}

/// <summary>The steps a test takes in the world around the workflows: parties, orders, bank callbacks, and reading the results.</summary>
internal sealed class PaymentsWorld(WorkflowEnvironmentFixture fixture)
{
    public static readonly DateTimeOffset PaidAt = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public ITemporalClient Client => fixture.Client;

    /// <summary>A merchant whose notify endpoint answers attempt n with <paramref name="merchantAnswers"/>(n) (default: success).</summary>
    public async Task<TestPayment> NewPaymentAsync(long amount = 10_000, Func<int, (int Status, string Body)>? merchantAnswers = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var merchantId = $"m_{suffix}";
        var userId = $"u_{suffix}";
        await fixture.Get<MerchantStore>().CreateAsync(new NewMerchant(merchantId, "Book shop", "CNY"));
        await fixture.Get<UserStore>().CreateAsync(userId, "Shopper");
        var notifyUrl = fixture.Http.MerchantEndpoint(merchantId, merchantAnswers ?? (_ => (200, "success")));
        var created = await fixture.Get<PaymentOrderStore>().CreateAsync(
            new NewPaymentOrder(merchantId, $"A-{suffix}", userId, amount, "CNY", notifyUrl.ToString(), "2 books"));
        Assert.Equal(CreatePaymentOutcome.Created, created.Outcome);
        return new TestPayment(created.Order!.PaymentId, merchantId, userId, created.Order.MerchantOrderNo, amount, $"B-{suffix}");
    }

    /// <summary>What the API does: the workflow starts at the order's creation, then the callback is recorded and signalled.</summary>
    public async Task<WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult>> StartCompletionAsync(
        TestPayment payment, BankResult result = BankResult.Success, ITemporalClient? client = null)
    {
        var handle = await StartAtCreationAsync(payment, client);
        await DeliverBankResultAsync(payment, handle, result);
        return handle;
    }

    /// <summary>What <c>POST /api/payments</c> does after the insert; the bank query schedule given (none by default).</summary>
    public Task<WorkflowHandle<PaymentCompletionWorkflow, PaymentCompletionResult>> StartAtCreationAsync(
        TestPayment payment, ITemporalClient? client = null, IReadOnlyList<TimeSpan>? querySchedule = null)
    {
        var input = new PaymentCompletionInput(payment.PaymentId, BankQuerySchedule: querySchedule ?? [], ExpireAfter: TimeSpan.FromMinutes(30));
        return (client ?? Client).StartWorkflowAsync(
            (PaymentCompletionWorkflow wf) => wf.RunAsync(input),
            new WorkflowOptions(Identifiers.CompletionWorkflowId(payment.PaymentId), PaymentsTemporal.TaskQueue)
            {
                IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            });
    }

    /// <summary>What the bank callback endpoint does: record the bank's facts on the order, then signal <c>bankResult</c>.</summary>
    public async Task DeliverBankResultAsync(TestPayment payment, WorkflowHandle handle, BankResult result = BankResult.Success)
    {
        var callback = new BankCallback(payment.PaymentId, payment.BankTxnId, payment.Amount, "CNY", result, PaidAt);
        Assert.Equal(BankCallbackOutcome.Recorded, (await fixture.Get<PaymentOrderStore>().RecordBankResultAsync(callback)).Outcome);
        await handle.SignalAsync("bankResult", [new BankResultSignal(payment.BankTxnId, result, payment.Amount, "CNY", PaidAt)]);
    }

    public WorkflowHandle<MerchantNotificationWorkflow, NotificationState> Notification(TestPayment payment) =>
        Client.GetWorkflowHandle<MerchantNotificationWorkflow, NotificationState>(Identifiers.NotificationWorkflowId(payment.PaymentId));

    /// <summary>How the notification ended, letting virtual time run meanwhile (the completion ends first: it owns the first attempt).</summary>
    public Task<NotificationState> NotificationResultAsync(TestPayment payment) => fixture.WithTimeSkippingAsync(async () =>
    {
        await Client.GetWorkflowHandle(Identifiers.CompletionWorkflowId(payment.PaymentId)).GetResultAsync();
        return await NotificationEndedAsync(payment, Client);
    });

    /// <summary>
    /// The result of <c>notify-{paymentId}</c>, once the completion has ended; without one (the completion's first attempt
    /// delivered, or was acknowledged) the state the completion recorded.
    /// </summary>
    public async Task<NotificationState> NotificationEndedAsync(TestPayment payment, ITemporalClient client)
    {
        try
        {
            return await client.GetWorkflowHandle<MerchantNotificationWorkflow, NotificationState>(Identifiers.NotificationWorkflowId(payment.PaymentId))
                .GetResultAsync();
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return (await NotificationViewAsync(payment)).Status;
        }
    }

    public Task SetMerchantAsync(TestPayment payment, PartyStatus status) => fixture.Get<MerchantStore>().SetStatusAsync(payment.MerchantId, status);

    public Task SetUserAsync(TestPayment payment, PartyStatus status) => fixture.Get<UserStore>().SetStatusAsync(payment.UserId, status);

    public async Task<PaymentView> ViewAsync(TestPayment payment) => (await fixture.Queries.GetAsync(payment.PaymentId, CancellationToken.None))!;

    public async Task<FundAccount> FundAccountAsync(TestPayment payment) => (await fixture.Get<FundAccountStore>().GetAsync(payment.MerchantId))!;

    public async Task<PointsAccount> PointsAccountAsync(TestPayment payment) => (await fixture.Get<PointsAccountStore>().GetAsync(payment.UserId))!;

    public Task<IReadOnlyList<Voucher>> VouchersAsync(TestPayment payment) => fixture.Get<VoucherStore>().ListByPaymentAsync(payment.PaymentId);

    public Task<NotificationStatusView> NotificationViewAsync(TestPayment payment) => fixture.Get<NotificationStore>().GetAsync(payment.PaymentId);

    public IReadOnlyList<ReceivedNotification> ReceivedBy(TestPayment payment) => fixture.Http.NotificationsFor(payment.MerchantId);

    public string ReceivedByUrl(TestPayment payment) => fixture.Http.MerchantEndpointOf(payment.MerchantId).ToString();

    public IEnumerable<string> RefundIds => fixture.Http.RefundIds;

    /// <summary>The search attributes the workflow keeps current, as the Temporal UI filters on them.</summary>
    public async Task<(string? MerchantId, string? PaymentStatus)> SearchAttributesAsync(WorkflowHandle handle)
    {
        var description = await handle.DescribeAsync();
        description.TypedSearchAttributes.TryGetValue(PaymentsTemporal.MerchantId, out var merchantId);
        description.TypedSearchAttributes.TryGetValue(PaymentsTemporal.PaymentStatus, out var status);
        return (merchantId, status);
    }
}
