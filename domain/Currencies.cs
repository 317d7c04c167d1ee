namespace Payments.Domain;

/// <summary>The ISO 4217 codes (two minor digits) the platform is configured for (<c>Payments:Currencies</c>).</summary>
public sealed class Currencies
{
    public const string Default = "CNY,USD,EUR,GBP,HKD,SGD";

    private readonly HashSet<string> _codes;

    public Currencies(string configured)
    {
        _codes = [.. configured.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        var invalid = _codes.FirstOrDefault(code => code.Length != 3 || !code.All(char.IsAsciiLetterUpper));
        if (invalid is not null)
        {
            throw new ArgumentException($"'{invalid}' is not an ISO 4217 code.", nameof(configured));
        }
    }

    public IReadOnlyCollection<string> Codes => _codes;

    public bool IsSupported(string? code) => code is not null && _codes.Contains(code);
}
