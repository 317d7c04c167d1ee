namespace Payments.Api.Configuration;

/// <summary><c>Payments:Currencies</c>: the ISO 4217 codes the platform takes, comma-separated.</summary>
internal sealed class CurrencyOptions
{
    public const string Section = "Payments";

    public string Currencies { get; set; } = Domain.Currencies.Default;
}
