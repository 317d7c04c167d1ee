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

    /// <summary>Whether <paramref name="configured"/> is a comma-separated list of upper-case three-letter codes.</summary>
    public static bool IsValid(string? configured)
    {
        try
        {
            _ = new Currencies(configured ?? "");
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public bool IsSupported(string? code) => code is not null && _codes.Contains(code);
}
