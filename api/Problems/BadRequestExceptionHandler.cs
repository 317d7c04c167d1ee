using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Payments.Domain;

namespace Payments.Api.Problems;

/// <summary>
/// Turns what the framework refuses while reading a request — malformed JSON, a field of the wrong type or out of
/// range, a body over the limit, a wrong content type — into problem+json, naming the JSON field at fault.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var problem = badRequest switch
        {
            { InnerException: JsonException json } => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [FieldOf(json)] = [Describe(json)] })
            {
                Detail = "The body is not valid JSON for this request.",
            },
            // A missing or empty body, or the JSON literal null where an object is expected.
            { StatusCode: StatusCodes.Status400BadRequest } => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [BodyField] = [Describe(badRequest.StatusCode)] })
            {
                Detail = Describe(badRequest.StatusCode),
            },
            _ => new ProblemDetails { Detail = Describe(badRequest.StatusCode) },
        };
        problem.Status = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private const string BodyField = "body";

    private static string Describe(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => $"The body is larger than {PaymentsApi.MaxBodyBytes / 1024} KiB.",
        StatusCodes.Status415UnsupportedMediaType => "The body must be application/json.",
        _ => "The request body is missing or is not valid JSON.",
    };

    /// <summary><c>$.amount</c> → <c>amount</c>; a fault outside any field (a syntax error at the root) → <c>body</c>.</summary>
    private static string FieldOf(JsonException json) =>
        json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : BodyField;

    private static string Describe(JsonException json) =>
        json is WireNameException ? json.Message
        : json.Path is { Length: > 2 } ? $"The value is of the wrong type or out of range (line {json.LineNumber + 1})." : "The body is not well-formed JSON.";
}
