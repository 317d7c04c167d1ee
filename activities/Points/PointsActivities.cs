using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Tcc;
using Temporalio.Activities;

namespace Payments.Activities.Points;

/// <summary>TCC branch awarding a user the payment's points (AccountId = userId).</summary>
public sealed class PointsActivities
{
    public static readonly TccAccountTable Table = new(
        Schema: "points",
        BranchId: "points-award",
        KeyColumn: "user_id",
        PendingColumn: "pending_points",
        BalanceColumn: "points",
        OwnerTable: "merchants.users",
        OwnerKeyColumn: "user_id",
        FrozenErrorType: ParticipantErrors.UserFrozen);

    private readonly TccAccount _account;

    public PointsActivities(NpgsqlDataSource dataSource, ILogger<PointsActivities> logger) =>
        _account = new TccAccount(dataSource, Table, logger);

    /// <summary>Reserves the points as pending; refused (non-retryable <c>UserFrozen</c>) for a frozen user.</summary>
    [Activity]
    public Task<TccOutcome> TryAwardAsync(TccRequest request) => _account.TryAsync(request);

    [Activity]
    public Task<TccOutcome> ConfirmAwardAsync(TccRequest request) => _account.ConfirmAsync(request);

    [Activity]
    public Task<TccOutcome> CancelAwardAsync(TccRequest request) => _account.CancelAsync(request);
}
