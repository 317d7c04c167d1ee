using Microsoft.AspNetCore.Http.HttpResults;

namespace Payments.Api.Problems;

/// <summary>
/// The contract's error answers, each an RFC 7807 <c>application/problem+json</c>; <c>type</c> and <c>title</c> are
/// the framework's defaults for the status (the RFC 9110 section), <c>detail</c> says what happened.
/// </summary>
internal static class ApiProblems
{
    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "One or more fields are invalid.");

    public static ProblemHttpResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail);

    public static ProblemHttpResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, detail);

    public static ProblemHttpResult Unavailable(string detail) => Problem(StatusCodes.Status503ServiceUnavailable, detail);

    public static ProblemHttpResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, detail);

    public static ProblemHttpResult Unprocessable(string detail, IDictionary<string, object?>? extensions = null) =>
        Problem(StatusCodes.Status422UnprocessableEntity, detail, extensions);

    public static ProblemHttpResult Problem(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, extensions: extensions);
}
