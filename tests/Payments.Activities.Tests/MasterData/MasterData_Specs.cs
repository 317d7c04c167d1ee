using Payments.Activities.Funds;
using Payments.Activities.Merchants;
using Payments.Activities.Points;
using Payments.Activities.Tests.Support;
using Payments.Domain;

namespace Payments.Activities.Tests.MasterData;

/// <summary>Merchants and users: created once with their accounts, API keys kept only as hashes, frozen and unfrozen.</summary>
public sealed class MasterData_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private MerchantStore Merchants => fixture.Get<MerchantStore>();

    private UserStore Users => fixture.Get<UserStore>();

    [Fact]
    public async Task CreateMerchant_NewId_ActiveWithCredentialsAndEmptyFundAccount()
    {
        var credentials = (await Merchants.CreateAsync(new NewMerchant("m-new", "Books Ltd", "EUR", 125)))!;

        Assert.Equal(new Merchant("m-new", "Books Ltd", "EUR", 125, PartyStatus.Active), credentials.Merchant);
        Assert.NotEqual(credentials.ApiKey, credentials.NotifySecret);
        Assert.Equal(new FundAccount("m-new", "EUR", 0, 0), await fixture.Get<FundAccountStore>().GetAsync("m-new"));
    }

    [Fact]
    public async Task CreateMerchant_ExistingId_ReturnsNullAndKeepsFirst()
    {
        var first = await fixture.CreateMerchantAsync();

        var second = await Merchants.CreateAsync(new NewMerchant(first.Merchant.MerchantId, "Other", "USD", 0));

        Assert.Null(second);
        Assert.Equal(first.Merchant, await Merchants.FindByApiKeyAsync(first.ApiKey));
    }

    [Fact]
    public async Task FindByApiKey_OwnKeyOrOther_FindsOnlyOwner()
    {
        var credentials = await fixture.CreateMerchantAsync();

        Assert.Equal(credentials.Merchant.MerchantId, (await Merchants.FindByApiKeyAsync(credentials.ApiKey))!.MerchantId);
        Assert.Null(await Merchants.FindByApiKeyAsync(credentials.ApiKey + "x"));
        Assert.Null(await Merchants.FindByApiKeyAsync(credentials.NotifySecret));
    }

    [Fact]
    public async Task CreateMerchant_ApiKey_StoredOnlyAsHash()
    {
        var credentials = await fixture.CreateMerchantAsync();

        var stored = await fixture.ScalarAsync(
            "SELECT count(*) FROM merchants.merchants WHERE merchant_id = @id AND position(convert_to(@key, 'UTF8') in api_key_hash) = 0 AND length(api_key_hash) = 32",
            ("id", credentials.Merchant.MerchantId), ("key", credentials.ApiKey));
        Assert.Equal(1, stored);
        Assert.Equal(0, await fixture.ScalarAsync(
            "SELECT count(*) FROM merchants.merchants WHERE to_jsonb(merchants)::text LIKE '%' || @key || '%'", ("key", credentials.ApiKey)));
        Assert.Equal(credentials.NotifySecret, await Merchants.GetNotifySecretAsync(credentials.Merchant.MerchantId));
    }

    [Fact]
    public async Task FreezeAndUnfreeze_Merchant_StatusChanges()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;

        Assert.Equal(PartyStatus.Frozen, (await Merchants.SetStatusAsync(merchantId, PartyStatus.Frozen))!.Status);
        Assert.Equal(PartyStatus.Frozen, (await Merchants.GetAsync(merchantId))!.Status);
        Assert.Equal(PartyStatus.Active, (await Merchants.SetStatusAsync(merchantId, PartyStatus.Active))!.Status);
        Assert.Null(await Merchants.SetStatusAsync("nobody", PartyStatus.Frozen));
    }

    [Fact]
    public async Task CreateUser_NewThenSameId_CreatedOnceWithEmptyPointsAccount()
    {
        Assert.Equal(new User("u-new", "Ann", PartyStatus.Active), await Users.CreateAsync("u-new", "Ann"));
        Assert.Null(await Users.CreateAsync("u-new", "Bob"));

        Assert.Equal(new PointsAccount("u-new", 0, 0), await fixture.Get<PointsAccountStore>().GetAsync("u-new"));
        Assert.Equal("Ann", (await Users.GetAsync("u-new"))!.Name);
    }

    [Fact]
    public async Task FreezeAndUnfreeze_User_StatusChanges()
    {
        var userId = (await fixture.CreateUserAsync()).UserId;

        Assert.Equal(PartyStatus.Frozen, (await Users.SetStatusAsync(userId, PartyStatus.Frozen))!.Status);
        Assert.Equal(PartyStatus.Active, (await Users.SetStatusAsync(userId, PartyStatus.Active))!.Status);
        Assert.Null(await Users.SetStatusAsync("nobody", PartyStatus.Frozen));
    }
}
