using Payments.Activities;

namespace Payments.Api.Security;

/// <summary>
/// The operator token and the bank's signing secret. Outside Development both must be configured;
/// in Development a missing one falls back to a well-known value so the run command works as is.
/// </summary>
internal sealed record PlatformCredentials(string OperatorToken, string BankSecret)
{
    public const string OperatorTokenKey = "Payments:OperatorToken";

    public static PlatformCredentials From(IConfiguration configuration, IHostEnvironment environment) => new(
        Read(configuration, environment, OperatorTokenKey, "dev-operator-token"),
        Read(configuration, environment, ParticipantOptions.BankSecretKey, ParticipantOptions.DevelopmentBankSecret));

    private static string Read(IConfiguration configuration, IHostEnvironment environment, string key, string developmentDefault) =>
        configuration[key] is { Length: > 0 } value ? value
        : environment.IsDevelopment() ? developmentDefault
        : throw new InvalidOperationException($"{key} must be configured outside Development (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}).");
}
