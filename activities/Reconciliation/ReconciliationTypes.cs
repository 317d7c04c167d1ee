namespace Payments.Activities.Reconciliation;

/// <summary>What the reconciliation found wrong.</summary>
public enum LedgerDifferenceKind
{
    /// <summary>A paid (or refunded) payment has no payment (or refund) voucher, long after its status moved.</summary>
    MissingVoucher,

    /// <summary>
    /// A paid payment has a refund voucher, a refunded one a payment voucher, a closed one a voucher of its own, or a
    /// payment that is not closed a late-debit voucher.
    /// </summary>
    WrongVoucherKind,

    /// <summary>A late debit the bank returned (REFUNDED) has no late-debit voucher taking in its amount.</summary>
    MissingLateDebitVoucher,

    /// <summary>A voucher whose debits and credits differ, or that has no lines.</summary>
    UnbalancedVoucher,

    /// <summary>A payment voucher whose lines do not carry the payment's amount, net amount and fee.</summary>
    VoucherAmountMismatch,

    /// <summary>The ledger's merchant-payable credits differ from the merchant's fund balance.</summary>
    MerchantPayableMismatch,

    /// <summary>A fund account has had a pending credit for longer than the grace period.</summary>
    PendingCredit,

    /// <summary>A points account has had pending points for longer than the grace period.</summary>
    PendingPoints,

    /// <summary>A paid payment's voucher is still PENDING long after the payment was paid.</summary>
    VoucherPending,
}

/// <summary>One difference: its kind, the payment or account it is about, and what was expected against what was found.</summary>
public sealed record LedgerDifference(LedgerDifferenceKind Kind, string? PaymentId, string? AccountId, string Detail);

/// <summary>One reconciliation run: when it checked and every difference it found (none on a clean ledger).</summary>
public sealed record ReconciliationReport(string ReportId, DateTimeOffset CheckedAt, IReadOnlyList<LedgerDifference> Differences);

/// <summary><c>Payments:Reconciliation</c>: when the nightly check runs, and how long a state may stay in flight before it counts as a difference.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "Payments:Reconciliation";

    public TimeSpan PendingGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary><c>Payments:Reconciliation:Cron</c>: the <c>ledger-reconciliation</c> schedule (UTC).</summary>
    public string Cron { get; set; } = "0 2 * * *";
}
