using Npgsql;
using Payments.Activities.Accounting;
using Payments.Activities.Funds;
using Payments.Activities.Orders;
using Payments.Activities.Points;
using Payments.Activities.Tcc;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Faults;

/// <summary>
/// A transient database fault makes the activity fail with an exception Temporal retries (never a non-retryable
/// refusal), and the retry then succeeds without doing anything twice.
/// </summary>
public sealed class TransientFault_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private readonly DatabaseFaults _faults = new(fixture);
    private readonly ActivityEnvironment _environment = new();

    [Theory]
    [InlineData(DatabaseFaults.SerializationFailure)]
    [InlineData(DatabaseFaults.DeadlockDetected)]
    public async Task TryCredit_TransientErrorInTransaction_FailsRetryablyThenRetryReservesOnce(string sqlState)
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, merchantId, 9_940);
        var activities = fixture.Get<FundAccountActivities>();
        await _faults.InstallAsync("funds.accounts", "merchant_id");
        await _faults.FailAsync(merchantId, sqlState);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => _environment.RunAsync(() => activities.TryCreditAsync(request)));
        Assert.True(failure.IsTransient);
        await _faults.HealAsync(merchantId);
        var outcome = await _environment.RunAsync(() => activities.TryCreditAsync(request));

        Assert.Equal(TccOutcome.Applied, outcome);
        Assert.Equal(TccOutcome.Duplicate, await _environment.RunAsync(() => activities.TryCreditAsync(request)));
        Assert.Equal(9_940, (await fixture.Get<FundAccountStore>().GetAsync(merchantId))!.PendingCredit);
    }

    [Fact]
    public async Task ConfirmAward_ConnectionKilledMidTransaction_FailsRetryablyThenRetrySettlesOnce()
    {
        var userId = (await fixture.CreateUserAsync()).UserId;
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, userId, 99);
        var activities = fixture.Get<PointsActivities>();
        await _environment.RunAsync(() => activities.TryAwardAsync(request));
        await _faults.InstallAsync("points.accounts", "user_id");
        await _faults.StallAsync(userId);

        var confirm = _environment.RunAsync(() => activities.ConfirmAwardAsync(request));
        await _faults.TerminateStalledBackendAsync();
        var failure = await Assert.ThrowsAnyAsync<NpgsqlException>(() => confirm);
        Assert.IsNotAssignableFrom<ApplicationFailureException>(failure);
        await _faults.HealAsync(userId);

        Assert.Equal(TccOutcome.Applied, await _environment.RunAsync(() => activities.ConfirmAwardAsync(request)));
        Assert.Equal(TccOutcome.Duplicate, await _environment.RunAsync(() => activities.ConfirmAwardAsync(request)));
        var account = (await fixture.Get<PointsAccountStore>().GetAsync(userId))!;
        Assert.Equal((99, 0), (account.Points, account.PendingPoints));
    }

    [Fact]
    public async Task PostPaymentVoucher_ConnectionKilledWhileWritingLines_RetryPostsOneVoucher()
    {
        var paymentId = ParticipantsFixture.NewId("pay");
        var request = new PaymentVoucherRequest(paymentId, "m-fault", 10_000, 60, 9_940);
        var activities = fixture.Get<AccountingActivities>();
        var voucherId = $"vch_{paymentId}";
        await _faults.InstallAsync("accounting.voucher_lines", "voucher_id");
        await _faults.StallAsync(voucherId);

        var post = _environment.RunAsync(() => activities.PostPaymentVoucherAsync(request));
        await _faults.TerminateStalledBackendAsync();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => post);
        await _faults.HealAsync(voucherId);

        Assert.Equal(voucherId, await _environment.RunAsync(() => activities.PostPaymentVoucherAsync(request)));
        var voucher = Assert.Single(await fixture.Get<VoucherStore>().ListByPaymentAsync(paymentId));
        Assert.Equal(3, voucher.Lines.Count);
    }

    [Fact]
    public async Task MoveStatus_SerializationFailure_FailsRetryablyThenRetryMovesOnce()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var order = await fixture.CreateProcessingPaymentAsync(merchantId, (await fixture.CreateUserAsync()).UserId);
        var activities = fixture.Get<OrderActivities>();
        var move = new StatusMove(order.PaymentId, PaymentStatus.Paid, PaymentStep.PostingVoucher);
        await _faults.InstallAsync("orders.payments", "payment_id");
        await _faults.FailAsync(order.PaymentId, DatabaseFaults.SerializationFailure);

        var failure = await Assert.ThrowsAsync<PostgresException>(() => _environment.RunAsync(() => activities.MoveStatusAsync(move)));
        Assert.True(failure.IsTransient);
        Assert.Equal(PaymentStatus.Processing, (await fixture.OrderStateAsync(order.PaymentId)).Status);
        await _faults.HealAsync(order.PaymentId);
        await _environment.RunAsync(() => activities.MoveStatusAsync(move));
        await _environment.RunAsync(() => activities.MoveStatusAsync(move));

        var state = await fixture.OrderStateAsync(order.PaymentId);
        Assert.Equal((PaymentStatus.Paid, PaymentStep.PostingVoucher), (state.Status, state.Step));
    }
}
