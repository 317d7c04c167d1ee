using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Domain;

namespace Payments.Activities.Tests.Orders;

/// <summary>The operators' list: newest first, filtered by status and merchant, paged by cursor.</summary>
public sealed class PaymentList_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private PaymentQueries Queries => fixture.Get<PaymentQueries>();

    [Fact]
    public async Task List_ByMerchantInPages_NewestFirstEveryOrderOnce()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var userId = (await fixture.CreateUserAsync()).UserId;
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await fixture.CreatePaymentAsync(merchantId, userId)).PaymentId);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Queries.ListAsync(new PaymentListQuery(MerchantId: merchantId, Limit: 3, Cursor: cursor));
            Assert.InRange(page.Items.Count, 1, 3);
            seen.AddRange(page.Items.Select(item => item.PaymentId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task List_ByStatus_OnlyThatStatus()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var userId = (await fixture.CreateUserAsync()).UserId;
        var processing = await fixture.CreateProcessingPaymentAsync(merchantId, userId);
        await fixture.CreatePaymentAsync(merchantId, userId);

        var page = await Queries.ListAsync(new PaymentListQuery(PaymentStatus.Processing, merchantId));

        Assert.Equal(processing.PaymentId, Assert.Single(page.Items).PaymentId);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("42", true)]
    [InlineData("-1", false)]
    [InlineData("abc", false)]
    public void TryParseCursor_Input_AcceptsOnlyOwnCursors(string? cursor, bool valid) =>
        Assert.Equal(valid, PaymentQueries.TryParseCursor(cursor, out _));

    [Fact]
    public async Task List_LimitOverMax_Throws() =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Queries.ListAsync(new PaymentListQuery(Limit: 201)));
}
