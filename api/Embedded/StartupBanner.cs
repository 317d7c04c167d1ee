using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Payments.Api.Embedded;

/// <summary>Once the API listens, one block with everything a person needs to use what this process started.</summary>
internal static class StartupBanner
{
    public static void Register(WebApplication app, EmbeddedPlatform embedded) =>
        app.Lifetime.ApplicationStarted.Register(() => Print(app, embedded));

    private static void Print(WebApplication app, EmbeddedPlatform embedded)
    {
        var api = string.Join(", ", app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var temporal = app.Configuration[EmbeddedPlatform.TemporalAddressKey];
        // The password, if any, stays out of the console.
        var postgres = new NpgsqlConnectionStringBuilder(app.Configuration[EmbeddedPlatform.ConnectionStringKey]) { Password = null }.ConnectionString;
        Serilog.Log.Information(
            "Payments is running\n" +
            "  API:          {Api:l}\n" +
            "  Temporal UI:  {Ui:l}\n" +
            "  Temporal:     {Temporal:l}  (for `temporal --address` and Temporal__Address of `dotnet run --project workers`)\n" +
            "  PostgreSQL:   {Postgres:l}\n" +
            "  Data folder:  {DataFolder:l}",
            api, embedded.UiAddress ?? "not served here (Temporal runs elsewhere)", temporal, postgres, EmbeddedPlatform.DataFolder(app.Configuration));
    }
}
