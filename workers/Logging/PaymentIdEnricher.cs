using Serilog.Core;
using Serilog.Events;

namespace Payments.Workers.Logging;

/// <summary>
/// Adds <c>PaymentId</c> to every event logged inside a payment's workflow or activity: Temporal's logging scope
/// carries the workflow id (<c>payment-{paymentId}</c> or <c>notify-{paymentId}</c>).
/// </summary>
public sealed class PaymentIdEnricher : ILogEventEnricher
{
    public const string Property = "PaymentId";
    private static readonly string[] WorkflowIdPrefixes = ["payment-", "notify-"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (logEvent.Properties.ContainsKey(Property)
            || !logEvent.Properties.TryGetValue("WorkflowId", out var value)
            || value is not ScalarValue { Value: string workflowId })
        {
            return;
        }
        foreach (var prefix in WorkflowIdPrefixes)
        {
            if (workflowId.StartsWith(prefix, StringComparison.Ordinal))
            {
                logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(Property, workflowId[prefix.Length..]));
                return;
            }
        }
    }
}
