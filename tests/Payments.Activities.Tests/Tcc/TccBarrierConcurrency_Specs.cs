using FsCheck.Xunit;
using Payments.Activities.Funds;
using Payments.Activities.Points;
using Payments.Activities.Tcc;
using Payments.Activities.Tests.Support;
using Temporalio.Exceptions;

namespace Payments.Activities.Tests.Tcc;

/// <summary>The barrier under concurrency: racing tries and cancels, repeated confirms, and generated interleavings.</summary>
public abstract class TccBarrierConcurrency_Specs(ParticipantsFixture fixture, TccParticipant participant, TccAccountTable table)
{
    private const long Amount = 700;

    [Fact]
    public async Task TryAndCancel_RacingFromManyTasks_LeaveNothingReserved()
    {
        var accountId = await participant.CreateOwnerAsync();
        var requests = Enumerable.Range(0, 20).Select(_ => new TccRequest(ParticipantsFixture.NewId("pay"), 1, accountId, Amount)).ToList();

        var calls = requests.SelectMany(request => Enumerable.Range(0, 6).Select(i => (Request: request, Op: i % 2 == 0 ? TccOp.Try : TccOp.Cancel)))
            .OrderBy(_ => Random.Shared.Next())
            .Select(call => Task.Run(async () => (call.Request, call.Op, Outcome: await participant.RunAsync(call.Op, call.Request))))
            .ToList();
        var results = await Task.WhenAll(calls);

        Assert.Equal((0, 0), await participant.AccountAsync(accountId));
        foreach (var request in requests)
        {
            var outcomes = results.Where(r => r.Request == request).ToLookup(r => r.Op, r => r.Outcome);
            var cancel = Assert.Single(outcomes[TccOp.Cancel], outcome => outcome != TccOutcome.Duplicate);
            var triedFirst = outcomes[TccOp.Try].Count(outcome => outcome == TccOutcome.Applied);
            Assert.InRange(triedFirst, 0, 1);
            Assert.Equal(triedFirst == 1 ? TccOutcome.Applied : TccOutcome.NullCompensation, cancel);
            Assert.Equal(triedFirst == 1, (await BranchLedger.ReadAsync(fixture, table, request)).TryRan);
        }
    }

    [Fact]
    public async Task Confirm_RepeatedConcurrently_SettlesOnce()
    {
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, await participant.CreateOwnerAsync(), Amount);
        await participant.TryAsync(request);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => participant.ConfirmAsync(request))));

        Assert.Single(outcomes, outcome => outcome == TccOutcome.Applied);
        Assert.Equal((Amount, 0), await participant.AccountAsync(request.AccountId));
    }

    [Fact]
    public async Task ConfirmAndCancel_Racing_OnlyOneSettles()
    {
        var accountId = await participant.CreateOwnerAsync();
        var requests = Enumerable.Range(0, 10).Select(_ => new TccRequest(ParticipantsFixture.NewId("pay"), 1, accountId, Amount)).ToList();
        foreach (var request in requests)
        {
            await participant.TryAsync(request);
        }

        var settled = await Task.WhenAll(requests.SelectMany(request => new[]
        {
            Task.Run(() => SettleAsync(TccOp.Confirm, request)),
            Task.Run(() => SettleAsync(TccOp.Cancel, request)),
        }));

        Assert.Equal(requests.Count, settled.Count(applied => applied));
        var confirmed = 0;
        foreach (var request in requests)
        {
            var ledger = await BranchLedger.ReadAsync(fixture, table, request);
            Assert.True(ledger.Confirmed ^ ledger.Cancelled);
            confirmed += ledger.Confirmed ? 1 : 0;
        }
        Assert.Equal((confirmed * Amount, 0), await participant.AccountAsync(accountId));
    }

    /// <summary>Any sequence of calls, in order, leaves the account as its barrier rows say, whatever each call answered.</summary>
    [Property(MaxTest = 25, EndSize = 10)]
    public async Task AnySequence_AccountMatchesBarrier(TccOp[] ops)
    {
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, await participant.CreateOwnerAsync(), Amount);
        foreach (var op in ops)
        {
            await RunAllowingRefusalAsync(op, request);
        }
        (await BranchLedger.ReadAsync(fixture, table, request)).AssertAccount(Amount, await participant.AccountAsync(request.AccountId));
    }

    /// <summary>Any set of calls, all at once, leaves the account as its barrier rows say.</summary>
    [Property(MaxTest = 25, EndSize = 10)]
    public async Task AnyConcurrentCalls_AccountMatchesBarrier(TccOp[] ops)
    {
        var request = new TccRequest(ParticipantsFixture.NewId("pay"), 1, await participant.CreateOwnerAsync(), Amount);

        await Task.WhenAll(ops.Select(op => Task.Run(() => RunAllowingRefusalAsync(op, request))));

        (await BranchLedger.ReadAsync(fixture, table, request)).AssertAccount(Amount, await participant.AccountAsync(request.AccountId));
    }

    private async Task<bool> SettleAsync(TccOp op, TccRequest request)
    {
        try
        {
            return await participant.RunAsync(op, request) == TccOutcome.Applied;
        }
        catch (ApplicationFailureException e) when (e.ErrorType == ParticipantErrors.TccProtocolViolation)
        {
            return false;
        }
    }

    /// <summary>A confirm without a try, or after a cancel, is refused: that is part of the protocol, not a failure here.</summary>
    private async Task RunAllowingRefusalAsync(TccOp op, TccRequest request)
    {
        try
        {
            await participant.RunAsync(op, request);
        }
        catch (ApplicationFailureException e) when (e.ErrorType == ParticipantErrors.TccProtocolViolation && e.NonRetryable)
        {
        }
    }
}

public sealed class FundAccountBarrierConcurrency_Specs(ParticipantsFixture fixture)
    : TccBarrierConcurrency_Specs(fixture, new FundsParticipant(fixture), FundAccountActivities.Table), IClassFixture<ParticipantsFixture>;

public sealed class PointsBarrierConcurrency_Specs(ParticipantsFixture fixture)
    : TccBarrierConcurrency_Specs(fixture, new PointsParticipant(fixture), PointsActivities.Table), IClassFixture<ParticipantsFixture>;
