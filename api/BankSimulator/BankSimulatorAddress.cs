namespace Payments.Api.BankSimulator;

/// <summary>This API's own first address (a wildcard host means loopback): where the embedded bank simulator is reached.</summary>
internal sealed class BankSimulatorAddress(Uri baseAddress)
{
    public const string EnabledKey = "Payments:BankSimulator:Enabled";

    public static BankSimulatorAddress From(IConfiguration configuration)
    {
        var first = (configuration["urls"] ?? "http://127.0.0.1:5080").Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        var address = new UriBuilder(first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal));
        if (address.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            address.Host = "127.0.0.1";
        }
        address.Path = "/";
        return new BankSimulatorAddress(address.Uri);
    }

    /// <summary>Default: on in Development, off elsewhere.</summary>
    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration[EnabledKey] is { Length: > 0 } enabled ? bool.Parse(enabled) : environment.IsDevelopment();

    public Uri Of(string path) => new(baseAddress, path);
}
