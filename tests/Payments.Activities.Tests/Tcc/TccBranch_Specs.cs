using Payments.Activities.Tcc;
using Payments.Activities.Tests.Support;
using Payments.Domain;
using Temporalio.Exceptions;

namespace Payments.Activities.Tests.Tcc;

/// <summary>Each TCC branch, in sequence: reserve, settle, release, refuse, and the barrier's three guarantees.</summary>
public abstract class TccBranch_Specs(TccParticipant participant)
{
    private const long Amount = 9_940;

    [Fact]
    public async Task Try_ActiveOwner_ReservesPending()
    {
        var request = await NewRequestAsync();

        Assert.Equal(TccOutcome.Applied, await participant.TryAsync(request));

        Assert.Equal((0, Amount), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task Confirm_AfterTry_MovesPendingToSettled()
    {
        var request = await NewRequestAsync();
        await participant.TryAsync(request);

        Assert.Equal(TccOutcome.Applied, await participant.ConfirmAsync(request));

        Assert.Equal((Amount, 0), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task TryAndConfirm_Repeated_ApplyOnce()
    {
        var request = await NewRequestAsync();

        await participant.TryAsync(request);
        Assert.Equal(TccOutcome.Duplicate, await participant.TryAsync(request));
        await participant.ConfirmAsync(request);
        Assert.Equal(TccOutcome.Duplicate, await participant.ConfirmAsync(request));
        Assert.Equal(TccOutcome.Duplicate, await participant.ConfirmAsync(request));

        Assert.Equal((Amount, 0), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task Cancel_AfterTry_ReleasesPendingOnce()
    {
        var request = await NewRequestAsync();
        await participant.TryAsync(request);

        Assert.Equal(TccOutcome.Applied, await participant.CancelAsync(request));
        Assert.Equal(TccOutcome.Duplicate, await participant.CancelAsync(request));

        Assert.Equal((0, 0), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task Try_FrozenOwner_FailsNonRetryableAndReservesNothing()
    {
        var request = await NewRequestAsync();
        await participant.SetOwnerStatusAsync(request.AccountId, PartyStatus.Frozen);

        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(() => participant.TryAsync(request));

        Assert.Equal(participant.FrozenErrorType, refusal.ErrorType);
        Assert.True(refusal.NonRetryable);
        Assert.Equal((0, 0), await participant.AccountAsync(request.AccountId));
        Assert.Equal(TccOutcome.NullCompensation, await participant.CancelAsync(request));
    }

    [Fact]
    public async Task ConfirmAndCancel_OwnerFrozenAfterTry_StillFinish()
    {
        var confirmed = await NewRequestAsync();
        var cancelled = confirmed with { PaymentId = ParticipantsFixture.NewId("pay") };
        await participant.TryAsync(confirmed);
        await participant.TryAsync(cancelled);
        await participant.SetOwnerStatusAsync(confirmed.AccountId, PartyStatus.Frozen);

        Assert.Equal(TccOutcome.Applied, await participant.ConfirmAsync(confirmed));
        Assert.Equal(TccOutcome.Applied, await participant.CancelAsync(cancelled));

        Assert.Equal((Amount, 0), await participant.AccountAsync(confirmed.AccountId));
    }

    [Fact]
    public async Task Try_AfterCancelOfSameRound_IsHangingAndReservesNothing()
    {
        var request = await NewRequestAsync();

        Assert.Equal(TccOutcome.NullCompensation, await participant.CancelAsync(request));
        Assert.Equal(TccOutcome.Hanging, await participant.TryAsync(request));
        Assert.Equal(TccOutcome.Duplicate, await participant.CancelAsync(request));

        Assert.Equal((0, 0), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task Try_NextRoundAfterCancelledRound_Reserves()
    {
        var first = await NewRequestAsync();
        await participant.SetOwnerStatusAsync(first.AccountId, PartyStatus.Frozen);
        await Assert.ThrowsAsync<ApplicationFailureException>(() => participant.TryAsync(first));
        await participant.CancelAsync(first);
        await participant.SetOwnerStatusAsync(first.AccountId, PartyStatus.Active);
        var second = first with { Round = 2 };

        Assert.Equal(TccOutcome.Applied, await participant.TryAsync(second));
        Assert.Equal(TccOutcome.Applied, await participant.ConfirmAsync(second));

        Assert.Equal((Amount, 0), await participant.AccountAsync(first.AccountId));
    }

    [Fact]
    public async Task AllOps_ZeroAmount_SkipWithoutBarrier()
    {
        var request = await NewRequestAsync() with { Amount = 0 };

        Assert.Equal(TccOutcome.ZeroAmount, await participant.TryAsync(request));
        Assert.Equal(TccOutcome.ZeroAmount, await participant.ConfirmAsync(request));
        Assert.Equal(TccOutcome.ZeroAmount, await participant.CancelAsync(request));

        Assert.Equal((0, 0), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task Try_UnknownAccount_FailsNonRetryable()
    {
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, "nobody", Amount);

        var refusal = await Assert.ThrowsAsync<ApplicationFailureException>(() => participant.TryAsync(request));

        Assert.Equal(ParticipantErrors.AccountNotFound, refusal.ErrorType);
        Assert.True(refusal.NonRetryable);
    }

    private async Task<TccRequest> NewRequestAsync() =>
        new(ParticipantsFixture.NewId("pay"), 1, await participant.CreateOwnerAsync(), Amount);
}

public sealed class FundAccountBranch_Specs(ParticipantsFixture fixture)
    : TccBranch_Specs(new FundsParticipant(fixture)), IClassFixture<ParticipantsFixture>;

public sealed class PointsBranch_Specs(ParticipantsFixture fixture)
    : TccBranch_Specs(new PointsParticipant(fixture)), IClassFixture<ParticipantsFixture>;
