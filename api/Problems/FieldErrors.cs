using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Domain;

namespace Payments.Api.Problems;

/// <summary>Collects what is wrong with a request, field by field (the <c>errors</c> of a 400 answer).</summary>
internal sealed class FieldErrors
{
    public const int MaxNameLength = 256;
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public FieldErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
        return this;
    }

    public FieldErrors Required(string field, object? value) => value is null or "" ? Add(field, $"{field} is required.") : this;

    public FieldErrors ClientId(string field, string? value) =>
        value is null ? Required(field, value)
        : Identifiers.IsValidClientId(value) ? this
        : Add(field, $"{field} must match ^[A-Za-z0-9_-]{{1,64}}$.");

    public FieldErrors Text(string field, string? value, int maxLength, bool required = true) =>
        value is null ? (required ? Required(field, value) : this)
        : string.IsNullOrWhiteSpace(value) ? Add(field, $"{field} must not be blank.")
        : value.Length > maxLength ? Add(field, $"{field} must be at most {maxLength} characters.")
        : HasControlCharacter(value) ? Add(field, $"{field} must not contain control characters.")
        : this;

    public FieldErrors Amount(string field, long? value) =>
        value is null ? Required(field, value)
        : Money.IsValidAmount(value.Value) ? this
        : Add(field, $"{field} must be within {Money.MinAmount}..{Money.MaxAmount} minor units.");

    public FieldErrors Currency(string field, string? value, Currencies currencies) =>
        value is null ? Required(field, value)
        : currencies.IsSupported(value) ? this
        : Add(field, $"{field} must be one of {string.Join(", ", currencies.Codes)}.");

    public FieldErrors HttpUrl(string field, string? value, int maxLength) =>
        value is null ? Required(field, value)
        : value.Length <= maxLength && !HasControlCharacter(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? this
            : Add(field, $"{field} must be an absolute http or https URL of at most {maxLength} characters.");

    public FieldErrors Present<T>(string field, T? value)
        where T : struct => value is null ? Required(field, null) : this;

    /// <summary>
    /// NUL, line breaks, escapes and the other C0/C1 controls: PostgreSQL cannot store a NUL at all, and none belongs in
    /// a name, a subject, a reason or a URL (they would also forge lines in logs and headers).
    /// </summary>
    private static bool HasControlCharacter(string value) => value.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || value.AsSpan().ContainsAnyInRange('\u007f', '\u009f');

    /// <summary>400 with every field at fault, or null when the request is valid.</summary>
    public ValidationProblem? ToProblem() => Any ? ApiProblems.Validation(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray())) : null;
}
