using System.Text.Json;
using Payments.Activities.Orders;
using Payments.Domain;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Api.Temporal;

/// <summary>The operator's decision, as the completion workflow's <c>resolve</c> signal carries it.</summary>
public sealed record ResolveSignal(ResolutionAction Action, string Reason);

/// <summary>What the API asks of the workflows: start a payment's completion, query its step, signal decisions.</summary>
internal sealed class PaymentWorkflows(ITemporalClient client, ILogger<PaymentWorkflows> logger)
{
    public const string TaskQueue = "payments";
    public const string CompletionWorkflow = "PaymentCompletion";

    /// <summary>
    /// Starts <c>payment-{id}</c> at most once, ever: a reuse policy that refuses a second run, and "already started"
    /// (running or closed) counts as success, so a repeated callback finds the existing workflow.
    /// </summary>
    public async Task StartCompletionAsync(BankCallback callback, CancellationToken cancellationToken)
    {
        var options = new WorkflowOptions(Identifiers.CompletionWorkflowId(callback.PaymentId), TaskQueue)
        {
            IdReusePolicy = WorkflowIdReusePolicy.RejectDuplicate,
            Rpc = new RpcOptions { CancellationToken = cancellationToken },
        };
        try
        {
            await client.StartWorkflowAsync(CompletionWorkflow, [callback], options);
            logger.LogInformation("Payment {PaymentId}: completion workflow {WorkflowId} started", callback.PaymentId, options.Id);
        }
        catch (WorkflowAlreadyStartedException)
        {
            logger.LogInformation("Payment {PaymentId}: completion workflow {WorkflowId} already exists", callback.PaymentId, options.Id);
        }
    }

    /// <summary>The live step from the workflow's <c>status</c> query, or null when it does not answer within <paramref name="timeout"/>.</summary>
    public async Task<PaymentStep?> QueryStepAsync(string paymentId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var status = await client.GetWorkflowHandle(Identifiers.CompletionWorkflowId(paymentId)).QueryAsync<JsonElement>(
                "status", [], new WorkflowQueryOptions { Rpc = new RpcOptions { Timeout = timeout, CancellationToken = deadline.Token } });
            return StepOf(status);
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or WorkflowQueryFailedException or WorkflowQueryRejectedException)
        {
            logger.LogDebug(e, "Payment {PaymentId}: no live step from the workflow", paymentId);
            return null;
        }
    }

    public Task SignalResolveAsync(string paymentId, ResolveSignal decision, CancellationToken cancellationToken) =>
        client.GetWorkflowHandle(Identifiers.CompletionWorkflowId(paymentId))
            .SignalAsync("resolve", [decision], new WorkflowSignalOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });

    /// <summary><c>retryNow</c> or <c>acknowledge</c> to <c>notify-{id}</c>.</summary>
    public Task SignalNotificationAsync(string paymentId, string signal, CancellationToken cancellationToken) =>
        client.GetWorkflowHandle(Identifiers.NotificationWorkflowId(paymentId))
            .SignalAsync(signal, [], new WorkflowSignalOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });

    private static PaymentStep? StepOf(JsonElement status)
    {
        foreach (var property in status.EnumerateObject())
        {
            if (property.NameEquals("step") || property.NameEquals("Step"))
            {
                return property.Value.ValueKind switch
                {
                    JsonValueKind.String when WireName.TryParse<PaymentStep>(property.Value.GetString(), out var wire) => wire,
                    JsonValueKind.String when Enum.TryParse<PaymentStep>(property.Value.GetString(), out var named) => named,
                    JsonValueKind.Number when Enum.IsDefined((PaymentStep)property.Value.GetInt32()) => (PaymentStep)property.Value.GetInt32(),
                    _ => null,
                };
            }
        }
        return null;
    }
}
