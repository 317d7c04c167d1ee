using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Payments.Api.Health;

/// <summary><c>/health/live</c>: the process answers; <c>/health/ready</c>: every dependency check (tagged "ready") passes. 200 or 503, as plain text.</summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        health.MapGet("/live", (HealthCheckService checks, CancellationToken cancellationToken) => AnswerAsync(checks, _ => false, cancellationToken))
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        health.MapGet("/ready", (HealthCheckService checks, CancellationToken cancellationToken) => AnswerAsync(checks, check => check.Tags.Contains(ReadyTag), cancellationToken))
            .Produces<string>(StatusCodes.Status200OK, "text/plain").Produces<string>(StatusCodes.Status503ServiceUnavailable, "text/plain");
        return app;
    }

    /// <summary>As ASP.NET Core's health check middleware answers: Healthy or Degraded is 200, Unhealthy 503, the status as the body.</summary>
    private static async Task<ContentHttpResult> AnswerAsync(HealthCheckService checks, Func<HealthCheckRegistration, bool> predicate, CancellationToken cancellationToken)
    {
        var report = await checks.CheckHealthAsync(predicate, cancellationToken);
        return TypedResults.Text(
            report.Status.ToString(), "text/plain",
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}
