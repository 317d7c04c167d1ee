using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Payments.Activities.Accounting;
using Payments.Activities.Database;
using Payments.Activities.Merchants;
using Payments.Activities.Notifications;
using Payments.Activities.Orders;
using Payments.Activities.Tests.Support;
using Payments.Tests.Fixtures;

namespace Payments.Activities.Tests.Startup;

/// <summary>Migrations: one entry point, safe to run again and from several processes at once; DI wires every participant.</summary>
public sealed class Migration_Specs(ParticipantsFixture fixture) : IClassFixture<ParticipantsFixture>
{
    [Fact]
    public async Task Migrate_FreshDatabaseConcurrentlyThenAgain_AppliesEveryScriptOnce()
    {
        var database = new PostgresDatabaseFixture();
        await database.InitializeAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PaymentsDatabase.MigrateAsync(database.ConnectionString)));
            await PaymentsDatabase.MigrateAsync(database.ConnectionString);

            var scripts = typeof(PaymentsDatabase).Assembly.GetManifestResourceNames().Count(name => name.EndsWith(".sql", StringComparison.Ordinal));
            await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM public.schema_versions", connection);
            Assert.Equal(scripts, Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task HostStart_FreshDatabase_MigratedBeforeServing()
    {
        var database = new PostgresDatabaseFixture();
        await database.InitializeAsync();
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Configuration["ConnectionStrings:Payments"] = database.ConnectionString;
            // A host outside Development: every required setting is given, as a deployment would.
            builder.Configuration["Payments:BankSecret"] = "test-bank-secret";
            builder.Services.AddParticipantOptions(builder.Configuration).AddPaymentParticipants();
            using var host = builder.Build();

            await host.StartAsync();
            var merchant = await host.Services.GetRequiredService<MerchantStore>().CreateAsync(new NewMerchant("m1", "Books", "CNY"));
            await host.StopAsync();

            Assert.NotNull(merchant);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Migrate_FreshDatabase_LeavesNoConnectionIdle()
    {
        var database = new PostgresDatabaseFixture();
        await database.InitializeAsync();
        try
        {
            await PaymentsDatabase.MigrateAsync(database.ConnectionString);

            // A closed connection's backend exits right after; a pooled one would stay idle for Npgsql's 300 s.
            await using var connection = new Npgsql.NpgsqlConnection(DatabaseOptions.Unpooled(database.ConnectionString));
            await connection.OpenAsync();
            await using var others = new Npgsql.NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
            var left = (long)(await others.ExecuteScalarAsync())!;
            for (var look = 0; look < 50 && left > 0; look++)
            {
                await Task.Delay(100);
                left = (long)(await others.ExecuteScalarAsync())!;
            }
            Assert.Equal(0, left);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task AddPaymentParticipants_DataSource_NamesItsConnectionsAfterTheHost()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Payments"] = fixture.ConnectionString;
        builder.Configuration["Payments:BankSecret"] = "test-bank-secret";
        builder.Services.AddParticipantOptions(builder.Configuration).AddPaymentParticipants();
        using var host = builder.Build();

        await using var connection = await host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await using var name = new Npgsql.NpgsqlCommand("SELECT current_setting('application_name')", connection);

        Assert.Equal(builder.Environment.ApplicationName, (string)(await name.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Migrate_Database_OneSchemaPerParticipant()
    {
        var schemas = await fixture.ScalarAsync(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name IN ('merchants', 'orders', 'funds', 'points', 'accounting', 'notify', 'refunds')");

        Assert.Equal(7, schemas);
    }

    [Fact]
    public void AddPaymentParticipants_Services_ResolveEveryActivityAndStore()
    {
        foreach (var type in ParticipantsServiceCollectionExtensions.ActivityTypes)
        {
            Assert.NotNull(fixture.Services.GetRequiredService(type));
        }
        Assert.NotNull(fixture.Get<PaymentOrderStore>());
        Assert.NotNull(fixture.Get<VoucherStore>());
        Assert.NotNull(fixture.Get<NotificationStore>());
    }
}
