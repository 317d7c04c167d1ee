using System.Text.RegularExpressions;

namespace Payments.Domain;

/// <summary>Identifier rules: client-chosen ids, the platform's payment ids and the ids derived from them.</summary>
public static partial class Identifiers
{
    public const int MaxClientIdLength = 64;
    private const string LateDebitPrefix = "late-debit-";
    private static readonly string[] PaymentWorkflowPrefixes = ["payment-", "notify-", LateDebitPrefix];

    /// <summary>merchantId, userId, merchantOrderNo, bankTxnId.</summary>
    public static bool IsValidClientId(string? value) => value is not null && ClientId().IsMatch(value);

    /// <summary>Time-ordered (UUIDv7), so ids sort roughly by creation.</summary>
    public static string NewPaymentId() => $"pay_{Guid.CreateVersion7():N}";

    public static string CompletionWorkflowId(string paymentId) => $"payment-{paymentId}";

    public static string NotificationWorkflowId(string paymentId) => $"notify-{paymentId}";

    /// <summary>
    /// The payment a workflow is about, from its id (<c>payment-{id}</c>, <c>notify-{id}</c>, <c>late-debit-{id}-{bankTxnId}</c>);
    /// null for a workflow about no payment (the ledger reconciliation). The logs print it on every line about a payment.
    /// </summary>
    public static string? PaymentIdOfWorkflow(string workflowId)
    {
        foreach (var prefix in PaymentWorkflowPrefixes)
        {
            if (workflowId.StartsWith(prefix, StringComparison.Ordinal) && workflowId.Length > prefix.Length)
            {
                var rest = workflowId[prefix.Length..];
                // A late debit's id goes on with "-{bankTxnId}"; the platform's payment ids hold no '-'.
                return prefix == LateDebitPrefix && rest.IndexOf('-', StringComparison.Ordinal) is > 0 and var end ? rest[..end] : rest;
            }
        }
        return null;
    }

    /// <summary>The notify id stays the same across every attempt and round for a payment.</summary>
    public static string NotifyId(string paymentId) => $"ntf_{paymentId}";

    /// <summary>The refund id the bank deduplicates on: one refund per payment.</summary>
    public static string RefundId(string paymentId) => $"rfd_{paymentId}";

    /// <summary>A debit that arrived after its order was closed is returned by its own workflow, one per bank transaction.</summary>
    public static string LateDebitWorkflowId(string paymentId, string bankTxnId) => $"{LateDebitPrefix}{paymentId}-{bankTxnId}";

    /// <summary>The refund id of a late debit: each late bank transaction is refunded once.</summary>
    public static string LateDebitRefundId(string bankTxnId) => $"rfd_{bankTxnId}";

    /// <summary>The voucher a payment owns: its payment voucher, or its refund voucher (never both).</summary>
    public static string VoucherId(string paymentId) => $"vch_{paymentId}";

    /// <summary>The voucher of a returned late debit, one per bank transaction, beside the payment's own.</summary>
    public static string LateDebitVoucherId(string paymentId, string bankTxnId) => $"vch_{paymentId}-{bankTxnId}";

    /// <summary>The <c>resolve</c> update of an operator's decision round: a retried request joins the same update.</summary>
    public static string ResolveUpdateId(string paymentId, int round) => $"resolve-{paymentId}-{round}";

    /// <summary>TCC barrier id: each operator RETRY starts a new round, which the cancels of an earlier round never block.</summary>
    public static string BarrierId(string paymentId, int round)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(round);
        return $"{paymentId}:{round}";
    }

    // \z, not $: $ would also accept a trailing newline.
    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClientId();
}
