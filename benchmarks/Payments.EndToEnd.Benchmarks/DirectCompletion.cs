using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Payments.Activities;
using Payments.Activities.Accounting;
using Payments.Activities.Funds;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Tcc;
using Payments.Domain;

namespace Payments.EndToEnd.Benchmarks;

/// <summary>
/// The baseline: the effects of a completed payment done directly, in order, by one process — the bank callback on the
/// order, both TCC branches through the barrier, PAID, the voucher, the merchant's POST and its log — with the
/// platform's own participants, no workflow and no worker.
/// </summary>
internal sealed class DirectCompletion : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DirectCompletion(string connectionString)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Payments"] = connectionString })
            .Build();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddParticipantOptions(configuration)
            .AddPaymentParticipants()
            .BuildServiceProvider();
    }

    public Task<CreatePaymentResult> CreateOrderAsync(NewPaymentOrder order) => _services.GetRequiredService<PaymentOrderStore>().CreateAsync(order);

    public async Task CompleteAsync(string paymentId, string bankTxnId, long amount)
    {
        await _services.GetRequiredService<PaymentOrderStore>().RecordBankResultAsync(
            new BankCallback(paymentId, bankTxnId, amount, "CNY", BankResult.Success, null));
        var orders = _services.GetRequiredService<OrderActivities>();
        var funds = _services.GetRequiredService<FundAccountActivities>();
        var points = _services.GetRequiredService<PointsActivities>();
        await orders.MoveStatusAsync(new StatusMove(paymentId, PaymentStatus.Processing, PaymentStep.Trying));
        var payment = await orders.LoadPaymentAsync(paymentId);
        var credit = new TccRequest(paymentId, 1, payment.MerchantId, payment.NetAmount);
        var award = new TccRequest(paymentId, 1, payment.UserId, payment.Points);
        await funds.TryCreditAsync(credit);
        await points.TryAwardAsync(award);
        await funds.ConfirmCreditAsync(credit);
        await points.ConfirmAwardAsync(award);
        await orders.MoveStatusAsync(new StatusMove(paymentId, PaymentStatus.Paid, PaymentStep.PostingVoucher));
        await _services.GetRequiredService<AccountingActivities>().PostPaymentVoucherAsync(
            new PaymentVoucherRequest(paymentId, payment.MerchantId, payment.Amount, payment.Fee, payment.NetAmount));
        var notifications = _services.GetRequiredService<NotificationActivities>();
        var notifyId = Identifiers.NotifyId(paymentId);
        var attempt = await notifications.AttemptNotificationAsync(new NotificationRequest(
            paymentId, notifyId, 1, DateTimeOffset.UtcNow, payment.MerchantId, payment.NotifyUrl, payment.MerchantOrderNo,
            payment.Amount, payment.Currency, PaymentStatus.Paid, payment.PaidAt));
        await notifications.RecordNotificationOutcomeAsync(new NotificationStatusUpdate(
            paymentId, notifyId, attempt.Delivered ? NotificationState.Delivered : NotificationState.GaveUp, null));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
