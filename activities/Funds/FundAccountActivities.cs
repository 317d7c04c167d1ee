using Microsoft.Extensions.Logging;
using Npgsql;
using Payments.Activities.Tcc;
using Temporalio.Activities;

namespace Payments.Activities.Funds;

/// <summary>TCC branch crediting a merchant's fund account with a payment's net amount (AccountId = merchantId).</summary>
public sealed class FundAccountActivities
{
    public static readonly TccAccountTable Table = new(
        Schema: "funds",
        BranchId: "fund-credit",
        KeyColumn: "merchant_id",
        PendingColumn: "pending_credit",
        BalanceColumn: "balance",
        OwnerTable: "merchants.merchants",
        OwnerKeyColumn: "merchant_id",
        FrozenErrorType: ParticipantErrors.MerchantFrozen);

    private readonly TccAccount _account;

    public FundAccountActivities(NpgsqlDataSource dataSource, ILogger<FundAccountActivities> logger) =>
        _account = new TccAccount(dataSource, Table, logger);

    /// <summary>Reserves the credit as pending; refused (non-retryable <c>MerchantFrozen</c>) for a frozen merchant.</summary>
    [Activity]
    public Task<TccOutcome> TryCreditAsync(TccRequest request) => _account.TryAsync(request);

    [Activity]
    public Task<TccOutcome> ConfirmCreditAsync(TccRequest request) => _account.ConfirmAsync(request);

    [Activity]
    public Task<TccOutcome> CancelCreditAsync(TccRequest request) => _account.CancelAsync(request);
}
