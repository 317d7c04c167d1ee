namespace Payments.Api.Security;

/// <summary>
/// <c>Payments:OperatorToken</c>: the operator's bearer token. Required outside Development; <see cref="DevelopmentToken"/>
/// in it when not configured, so the run command works as is.
/// </summary>
internal sealed class OperatorOptions
{
    public const string Section = "Payments";
    public const string Key = "Payments:OperatorToken";
    public const string DevelopmentToken = "dev-operator-token";

    public string? OperatorToken { get; set; }
}
