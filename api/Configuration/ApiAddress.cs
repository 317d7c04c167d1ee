namespace Payments.Api.Configuration;

/// <summary>Where the API listens when <c>--urls</c> / <c>ASPNETCORE_URLS</c> say nothing (the contract's base URL).</summary>
internal static class ApiAddress
{
    public const string Default = "http://127.0.0.1:5080";

    /// <summary>This process's listening addresses as configured, the default included.</summary>
    public static string Urls(IConfiguration configuration) =>
        configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : Default;
}
