namespace Payments.Api.BankSimulator;

/// <summary>This API's own first address (a wildcard host means loopback): where the embedded bank simulator is reached.</summary>
internal sealed class BankSimulatorAddress(Uri baseAddress)
{
    /// <param name="urls">The API's listening addresses (<c>--urls</c>), separated by <c>;</c>.</param>
    public static BankSimulatorAddress From(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        var address = new UriBuilder(first.Replace("://*", "://127.0.0.1", StringComparison.Ordinal).Replace("://+", "://127.0.0.1", StringComparison.Ordinal));
        if (address.Host is "0.0.0.0" or "[::]" or "localhost")
        {
            address.Host = "127.0.0.1";
        }
        address.Path = "/";
        return new BankSimulatorAddress(address.Uri);
    }

    public Uri Of(string path) => new(baseAddress, path);
}
