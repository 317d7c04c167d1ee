using Microsoft.Extensions.Logging;
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
/// a refund request under <c>rfd_{bankTxnId}</c>, then the bank exception marked REFUNDED, or REFUND_REFUSED for
/// operators when the bank refuses it.
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
        await Workflow.ExecuteActivityAsync(
            (OrderActivities a) => a.EndLateDebitRefundAsync(new LateDebitRefundEnd(input.PaymentId, input.BankTxnId, status)), StepOptions.OwnRecords);
        Status = status;
        return status;
    }
}
