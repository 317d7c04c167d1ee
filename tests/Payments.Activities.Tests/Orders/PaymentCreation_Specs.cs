using Payments.Activities.Merchants;
using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;

namespace Payments.Activities.Tests.Orders;

/// <summary>Creating a payment order: idempotent on (merchantId, merchantOrderNo), refused by the contract's business rules.</summary>
public sealed class PaymentCreation_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private PaymentOrderStore Orders => fixture.Get<PaymentOrderStore>();

    [Fact]
    public async Task Create_NewOrder_CreatedWithFeeNetAndPoints()
    {
        var (merchantId, userId) = await PartiesAsync(feeBps: 60);

        var result = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));

        Assert.Equal(CreatePaymentOutcome.Created, result.Outcome);
        Assert.Equal(PaymentStatus.Created, result.Order!.Status);
        Assert.Equal((10_000, 60, 9_940, 100), (result.Order.Amount, result.Order.Fee, result.Order.NetAmount, result.Order.Points));
        var state = await fixture.OrderStateAsync(result.Order.PaymentId);
        Assert.Equal((PaymentStep.WaitingForBank, BranchState.None, BranchState.None, AccountingState.None), (state.Step, state.FundAccount, state.PointsAccount, state.Accounting));
    }

    [Fact]
    public async Task Create_SameOrderNoSameFields_ReturnsExistingOrder()
    {
        var (merchantId, userId) = await PartiesAsync();
        var first = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));

        var again = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));

        Assert.Equal(CreatePaymentOutcome.Existing, again.Outcome);
        Assert.Equal(first.Order, again.Order);
    }

    [Fact]
    public async Task Create_SameOrderNoOtherAmount_Conflicts()
    {
        var (merchantId, userId) = await PartiesAsync();
        await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));

        var other = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_001));

        Assert.Equal(CreatePaymentOutcome.Conflict, other.Outcome);
    }

    [Fact]
    public async Task Create_SameOrderNoConcurrently_CreatesOneOrder()
    {
        var (merchantId, userId) = await PartiesAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000)))));

        Assert.Single(results, result => result.Outcome == CreatePaymentOutcome.Created);
        Assert.All(results, result => Assert.NotEqual(CreatePaymentOutcome.Conflict, result.Outcome));
        Assert.Single(results.Select(result => result.Order!.PaymentId).Distinct());
    }

    [Fact]
    public async Task Create_SameOrderNoOtherMerchant_IsAnotherOrder()
    {
        var (merchantId, userId) = await PartiesAsync();
        var (otherMerchantId, _) = await PartiesAsync();

        var first = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));
        var second = await Orders.CreateAsync(NewOrder(otherMerchantId, userId, "A-1", 10_000));

        Assert.Equal(CreatePaymentOutcome.Created, second.Outcome);
        Assert.NotEqual(first.Order!.PaymentId, second.Order!.PaymentId);
    }

    [Fact]
    public async Task Create_UnknownUser_Refused()
    {
        var (merchantId, _) = await PartiesAsync();

        var result = await Orders.CreateAsync(NewOrder(merchantId, "nobody", "A-1", 10_000));

        Assert.Equal(CreatePaymentOutcome.Refused, result.Outcome);
        Assert.Contains("nobody", result.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_OtherCurrencyThanMerchants_Refused()
    {
        var (merchantId, userId) = await PartiesAsync();

        var result = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000) with { Currency = "USD" });

        Assert.Equal(CreatePaymentOutcome.Refused, result.Outcome);
    }

    [Fact]
    public async Task Create_FrozenMerchant_RefusedAndNothingStored()
    {
        var (merchantId, userId) = await PartiesAsync();
        await fixture.Get<MerchantStore>().SetStatusAsync(merchantId, PartyStatus.Frozen);

        var result = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));

        Assert.Equal(CreatePaymentOutcome.Refused, result.Outcome);
        Assert.Equal(0, await fixture.ScalarAsync("SELECT count(*) FROM orders.payments WHERE merchant_id = @merchant", ("merchant", merchantId)));
    }

    [Fact]
    public async Task Create_FrozenUser_Created()
    {
        var (merchantId, userId) = await PartiesAsync();
        await fixture.Get<UserStore>().SetStatusAsync(userId, PartyStatus.Frozen);

        var result = await Orders.CreateAsync(NewOrder(merchantId, userId, "A-1", 10_000));

        Assert.Equal(CreatePaymentOutcome.Created, result.Outcome);
    }

    private async Task<(string MerchantId, string UserId)> PartiesAsync(int feeBps = Money.DefaultFeeBps) =>
        ((await fixture.CreateMerchantAsync(feeBps)).Merchant.MerchantId, (await fixture.CreateUserAsync()).UserId);

    private static NewPaymentOrder NewOrder(string merchantId, string userId, string orderNo, long amount) =>
        new(merchantId, orderNo, userId, amount, "CNY", "http://127.0.0.1:9000/notify", "2 books");
}
