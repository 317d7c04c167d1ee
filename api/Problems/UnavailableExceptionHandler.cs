using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Payments.Api.Problems;

/// <summary>Temporal or PostgreSQL out of reach: 503 problem+json, so the caller (the bank, a merchant) retries later.</summary>
internal sealed class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (Temporalio.Exceptions.RpcException or NpgsqlException) && !IsTemporalConnectionFailure(exception))
        {
            return false;
        }
        logger.LogError(exception, "{Method} {Path}: a dependency is unavailable", httpContext.Request.Method, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Detail = "A dependency (database or Temporal) is unavailable; try again." },
        });
    }

    /// <summary>The Temporal client reports a server it cannot reach as an InvalidOperationException from inside its own code.</summary>
    private static bool IsTemporalConnectionFailure(Exception exception) =>
        exception is InvalidOperationException
        && new StackTrace(exception).GetFrames().Any(frame => frame.GetMethod()?.DeclaringType?.Assembly == typeof(Temporalio.Client.ITemporalClient).Assembly);
}
