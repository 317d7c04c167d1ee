using Payments.Activities.Funds;
using Payments.Activities.Points;
using Payments.Activities.Tcc;
using Payments.Domain;
using Temporalio.Testing;

namespace Payments.Activities.Tests.Support;

/// <summary>One TCC participant as the specs see it: its three activities (run in an activity context) and its account.</summary>
public abstract class TccParticipant(ParticipantsFixture fixture)
{
    protected ParticipantsFixture Fixture { get; } = fixture;

    public abstract string FrozenErrorType { get; }

    public abstract Task<TccOutcome> TryAsync(TccRequest request);

    public abstract Task<TccOutcome> ConfirmAsync(TccRequest request);

    public abstract Task<TccOutcome> CancelAsync(TccRequest request);

    /// <summary>A new active owner (merchant or user) with an empty account; its id is the account id.</summary>
    public abstract Task<string> CreateOwnerAsync();

    public abstract Task SetOwnerStatusAsync(string accountId, PartyStatus status);

    public abstract Task<(long Settled, long Pending)> AccountAsync(string accountId);

    public Task<TccOutcome> RunAsync(TccOp op, TccRequest request) => op switch
    {
        TccOp.Try => TryAsync(request),
        TccOp.Confirm => ConfirmAsync(request),
        _ => CancelAsync(request),
    };

    protected static Task<TccOutcome> InActivity(Func<Task<TccOutcome>> activity) => new ActivityEnvironment().RunAsync(activity);
}

public sealed class FundsParticipant(ParticipantsFixture fixture) : TccParticipant(fixture)
{
    private FundAccountActivities Activities => Fixture.Get<FundAccountActivities>();

    public override string FrozenErrorType => ParticipantErrors.MerchantFrozen;

    public override Task<TccOutcome> TryAsync(TccRequest request) => InActivity(() => Activities.TryCreditAsync(request));

    public override Task<TccOutcome> ConfirmAsync(TccRequest request) => InActivity(() => Activities.ConfirmCreditAsync(request));

    public override Task<TccOutcome> CancelAsync(TccRequest request) => InActivity(() => Activities.CancelCreditAsync(request));

    public override async Task<string> CreateOwnerAsync() => (await Fixture.CreateMerchantAsync()).Merchant.MerchantId;

    public override Task SetOwnerStatusAsync(string accountId, PartyStatus status) =>
        Fixture.Get<Merchants.MerchantStore>().SetStatusAsync(accountId, status);

    public override async Task<(long Settled, long Pending)> AccountAsync(string accountId)
    {
        var account = (await Fixture.Get<FundAccountStore>().GetAsync(accountId))!;
        return (account.Balance, account.PendingCredit);
    }
}

public sealed class PointsParticipant(ParticipantsFixture fixture) : TccParticipant(fixture)
{
    private PointsActivities Activities => Fixture.Get<PointsActivities>();

    public override string FrozenErrorType => ParticipantErrors.UserFrozen;

    public override Task<TccOutcome> TryAsync(TccRequest request) => InActivity(() => Activities.TryAwardAsync(request));

    public override Task<TccOutcome> ConfirmAsync(TccRequest request) => InActivity(() => Activities.ConfirmAwardAsync(request));

    public override Task<TccOutcome> CancelAsync(TccRequest request) => InActivity(() => Activities.CancelAwardAsync(request));

    public override async Task<string> CreateOwnerAsync() => (await Fixture.CreateUserAsync()).UserId;

    public override Task SetOwnerStatusAsync(string accountId, PartyStatus status) =>
        Fixture.Get<Merchants.UserStore>().SetStatusAsync(accountId, status);

    public override async Task<(long Settled, long Pending)> AccountAsync(string accountId)
    {
        var account = (await Fixture.Get<PointsAccountStore>().GetAsync(accountId))!;
        return (account.Points, account.PendingPoints);
    }
}
