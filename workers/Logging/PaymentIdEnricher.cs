using Payments.Domain;
using Serilog.Core;
using Serilog.Events;

namespace Payments.Workers.Logging;

/// <summary>
/// Adds <c>PaymentId</c> to every event logged inside a payment's workflow: Temporal's workflow logging scope carries the
/// workflow id (<c>payment-{paymentId}</c>, <c>notify-{paymentId}</c>, <c>late-debit-{paymentId}-…</c>); activities get
/// theirs from <see cref="PaymentLogScope"/>.
/// </summary>
public sealed class PaymentIdEnricher : ILogEventEnricher
{
    public const string Property = "PaymentId";

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (!logEvent.Properties.ContainsKey(Property)
            && logEvent.Properties.TryGetValue("WorkflowId", out var value)
            && value is ScalarValue { Value: string workflowId }
            && Identifiers.PaymentIdOfWorkflow(workflowId) is { } paymentId)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(Property, paymentId));
        }
    }
}
