using Payments.Activities.Funds;
using Payments.Activities.Tcc;
using Payments.Activities.Tests.Support;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Tcc;

/// <summary>A cancel that meets its try still in flight waits for it and releases exactly what it reserved.</summary>
public sealed class TryInFlight_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    private readonly DatabaseFaults _faults = new(fixture);

    [Fact]
    public async Task Cancel_WhileTryInFlight_ReleasesWhatTheTryReserved()
    {
        var merchantId = (await fixture.CreateMerchantAsync()).Merchant.MerchantId;
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, merchantId, 500);
        var activities = fixture.Get<FundAccountActivities>();
        await _faults.InstallAsync("funds.accounts", "merchant_id");
        await _faults.SlowDownAsync(merchantId);

        var tryCredit = Task.Run(() => new ActivityEnvironment().RunAsync(() => activities.TryCreditAsync(request)));
        await _faults.WaitForSlowedBackendAsync();
        var cancel = Task.Run(() => new ActivityEnvironment().RunAsync(() => activities.CancelCreditAsync(request)));

        Assert.Equal(TccOutcome.Applied, await tryCredit);
        Assert.Equal(TccOutcome.Applied, await cancel);
        await _faults.HealAsync(merchantId);
        var account = (await fixture.Get<FundAccountStore>().GetAsync(merchantId))!;
        Assert.Equal((0, 0), (account.Balance, account.PendingCredit));
    }
}
