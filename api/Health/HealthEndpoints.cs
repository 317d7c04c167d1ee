using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Payments.Api.Health;

/// <summary><c>/health/live</c>: the process answers; <c>/health/ready</c>: every dependency check (tagged "ready") passes.</summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
