using Microsoft.Extensions.Logging;
using Payments.Activities.Accounting;
using Payments.Activities.Orders;
using Payments.Activities.Refunds;
using Payments.Domain;
using Temporalio.Exceptions;
using Temporalio.Workflows;

namespace Payments.Workflows;

/// <summary>A debit the bank confirmed after its order was closed unpaid (<c>late-debit-{paymentId}-{bankTxnId}</c>).</summary>
public sealed record LateDebitRefundInput(string PaymentId, string BankTxnId, long Amount, string Currency);

/// <summary>
/// <c>late-debit-{paymentId}-{bankTxnId}</c>: returns a debit that came after its order was closed, with no operator —
/// a refund request under <c>rfd_{bankTxnId}</c>; once the bank accepted it, the late-debit voucher (the money in and
/// out again) and the bank exception marked REFUNDED; when the bank refuses it, nothing posted and REFUND_REFUSED for
/// operators.
/// </summary>
[Workflow("LateDebitRefund")]
public sealed class LateDebitRefundWorkflow
{
    [WorkflowQuery("status")]
    public LateDebitRefundStatus Status { get; private set; } = LateDebitRefundStatus.Pending;

    [WorkflowRun]
    public async Task<LateDebitRefundStatus> RunAsync(LateDebitRefundInput input)
    {
        var status = LateDebitRefundStatus.Refunded;
        try
        {
            await Workflow.ExecuteActivityAsync(
                (RefundActivities a) => a.RequestRefundAsync(new RefundRequest(
                    input.PaymentId, Identifiers.LateDebitRefundId(input.BankTxnId), input.BankTxnId, input.Amount, input.Currency)),
                StepOptions.Refund);
        }
        catch (ActivityFailureException failure)
        {
            Workflow.Logger.LogError(
                "Payment {PaymentId}: the bank refused to return late debit {BankTxnId}: {Error}", input.PaymentId, input.BankTxnId, failure.InnerException?.Message);
            status = LateDebitRefundStatus.RefundRefused;
        }
        if (status == LateDebitRefundStatus.Refunded && Workflow.Patched(Patches.LateDebitVoucher))
        {
            var payment = await Workflow.ExecuteActivityAsync((OrderActivities a) => a.LoadPaymentAsync(input.PaymentId), StepOptions.OwnRecords);
            await Workflow.ExecuteActivityAsync(
                (AccountingActivities a) => a.PostLateDebitRefundVoucherAsync(
                    new LateDebitVoucherRequest(input.PaymentId, input.BankTxnId, payment.UserId, input.Amount)),
                StepOptions.Voucher);
        }
        await Workflow.ExecuteActivityAsync(
            (OrderActivities a) => a.EndLateDebitRefundAsync(new LateDebitRefundEnd(input.PaymentId, input.BankTxnId, status)), StepOptions.OwnRecords);
        Status = status;
        return status;
    }

    /// <summary>Changes since the first version, each its own patch so runs already refunding keep replaying.</summary>
    private static class Patches
    {
        public const string LateDebitVoucher = "late-debit-voucher";
    }
}
