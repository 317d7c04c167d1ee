using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Npgsql;
using Payments.Activities.Database;
using Payments.Api.OpenApi;
using Payments.Workers;

namespace Payments.Api.Embedded;

/// <summary>Once the API listens, one block with everything a person needs to use what this process started.</summary>
internal static class StartupBanner
{
    public static void Register(WebApplication app, EmbeddedPlatform embedded) =>
        app.Lifetime.ApplicationStarted.Register(() => Print(app, embedded));

    private static void Print(WebApplication app, EmbeddedPlatform embedded)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var api = string.Join(", ", addresses);
        var docs = addresses.Select(address => $"{address.TrimEnd('/')}{ApiDocument.DocsPath}").FirstOrDefault() ?? ApiDocument.DocsPath;
        var temporal = app.Services.GetRequiredService<IOptions<TemporalOptions>>().Value.Address;
        // The password, if any, stays out of the console.
        var postgres = new NpgsqlConnectionStringBuilder(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString) { Password = null }.ConnectionString;
        Serilog.Log.Information(
            "Payments is running\n" +
            "  API:          {Api:l}\n" +
            "  API docs:     {Docs:l}  (OpenAPI: /openapi/v1.json)\n" +
            "  Temporal UI:  {Ui:l}\n" +
            "  Temporal:     {Temporal:l}  (for `temporal --address` and Temporal__Address of `dotnet run --project workers`)\n" +
            "  PostgreSQL:   {Postgres:l}\n" +
            "  Data folder:  {DataFolder:l}",
            api, docs, embedded.UiAddress ?? "not served here (Temporal runs elsewhere)", temporal, postgres,
            app.Services.GetRequiredService<IOptions<EmbeddedOptions>>().Value.FullDataFolder);
    }
}
