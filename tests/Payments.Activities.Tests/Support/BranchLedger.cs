using Payments.Activities.Tcc;

namespace Payments.Activities.Tests.Support;

/// <summary>What a branch's barrier rows say happened, read back to check the account against them.</summary>
public sealed record BranchLedger(bool TryRan, bool Confirmed, bool Cancelled)
{
    public static async Task<BranchLedger> ReadAsync(ParticipantsFixture fixture, TccAccountTable table, TccRequest request)
    {
        var gid = Domain.Identifiers.BarrierId(request.PaymentId, request.Round);
        async Task<bool> Has(string op, string reason) => await fixture.ScalarAsync(
            $"SELECT count(*) FROM {table.Schema}.barrier WHERE gid = @gid AND branch_id = @branch AND op = @op AND reason LIKE @reason",
            ("gid", gid), ("branch", table.BranchId), ("op", op), ("reason", reason)) == 1;
        return new BranchLedger(await Has("try", "try"), await Has("confirm", "%"), await Has("cancel", "%"));
    }

    /// <summary>The account a branch leaves behind: reserved while tried and unsettled, settled once confirmed, and never both settled ways.</summary>
    public void AssertAccount(long amount, (long Settled, long Pending) account)
    {
        Assert.False(Confirmed && Cancelled, "a branch was both confirmed and cancelled");
        Assert.True(!Confirmed || TryRan, "a branch was confirmed without a try");
        Assert.Equal(TryRan && !Confirmed && !Cancelled ? amount : 0, account.Pending);
        Assert.Equal(Confirmed ? amount : 0, account.Settled);
    }
}
