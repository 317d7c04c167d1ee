using Microsoft.Extensions.Diagnostics.HealthChecks;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Api.Health;

/// <summary>Ready only when Temporal answers for our namespace: without it no bank callback can start a workflow.</summary>
internal sealed class TemporalHealthCheck(ITemporalClient client) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await client.WorkflowService.DescribeNamespaceAsync(
                new() { Namespace = client.Options.Namespace },
                new RpcOptions { Timeout = Timeout, CancellationToken = cancellationToken });
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"Temporal namespace {client.Options.Namespace} is not reachable.", e);
        }
    }
}
