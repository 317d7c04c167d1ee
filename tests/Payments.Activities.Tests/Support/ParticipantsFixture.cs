using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Payments.Activities.Database;
using Payments.Activities.Merchants;
using Payments.Activities.Orders;
using Payments.Domain;
using Payments.Tests.Fixtures;

namespace Payments.Activities.Tests.Support;

/// <summary>A migrated database of its own per test class, and the participants wired as the worker and the API wire them.</summary>
public sealed class ParticipantsFixture : IAsyncLifetime
{
    private readonly PostgresDatabaseFixture _database = new();
    private ServiceProvider? _services;

    public string ConnectionString => _database.ConnectionString;

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Not initialised.");

    public NpgsqlDataSource DataSource => Get<NpgsqlDataSource>();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await PaymentsDatabase.MigrateAsync(ConnectionString);
        _services = BuildServices();
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The participants' services on this database, with extra configuration and registrations when a test needs them.</summary>
    public ServiceProvider BuildServices(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Payments"] = ConnectionString })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection().AddLogging().AddParticipantOptions(configuration).AddPaymentParticipants();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)];

    public async Task<MerchantCredentials> CreateMerchantAsync(int feeBps = Money.DefaultFeeBps, string currency = "CNY") =>
        (await Get<MerchantStore>().CreateAsync(new NewMerchant(NewId("m"), "Books Ltd", currency, feeBps)))!;

    public async Task<User> CreateUserAsync() => (await Get<UserStore>().CreateAsync(NewId("u"), "Ann"))!;

    public async Task<PaymentFacts> CreatePaymentAsync(string merchantId, string userId, long amount = 10_000, string currency = "CNY")
    {
        var result = await Get<PaymentOrderStore>().CreateAsync(
            new NewPaymentOrder(merchantId, NewId("o"), userId, amount, currency, "http://127.0.0.1:9/notify", "2 books"));
        return result.Order ?? throw new InvalidOperationException($"Payment not created: {result.Outcome} {result.Refusal}");
    }

    /// <summary>A payment the bank has paid: PROCESSING, ready for the completion workflow.</summary>
    public async Task<PaymentFacts> CreateProcessingPaymentAsync(string merchantId, string userId, long amount = 10_000)
    {
        var order = await CreatePaymentAsync(merchantId, userId, amount);
        await Get<PaymentOrderStore>().RecordBankResultAsync(
            new BankCallback(order.PaymentId, NewId("b"), amount, order.Currency, BankResult.Success, DateTimeOffset.UtcNow));
        // The workflow's first move once it has the bank's result.
        await ExecuteAsync("UPDATE orders.payments SET status = 'PROCESSING', step = 'TRYING' WHERE payment_id = @id", ("id", order.PaymentId));
        return order;
    }

    /// <summary>The order's progress as the activities left it on its row.</summary>
    public async Task<OrderState> OrderStateAsync(string paymentId)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT status, step, fund_account, points_account, accounting, bank_txn_id, paid_at FROM orders.payments WHERE payment_id = @id");
        command.Parameters.AddWithValue("id", paymentId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"Payment {paymentId} does not exist.");
        return new OrderState(
            reader.GetWire<PaymentStatus>("status"), reader.GetNullableWire<PaymentStep>("step"), reader.GetWire<BranchState>("fund_account"),
            reader.GetWire<BranchState>("points_account"), reader.GetWire<AccountingState>("accounting"),
            reader.GetNullableString("bank_txn_id"), reader.GetNullableTimestamp("paid_at"));
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>The progress columns of an <c>orders.payments</c> row.</summary>
public sealed record OrderState(
    PaymentStatus Status, PaymentStep? Step, BranchState FundAccount, BranchState PointsAccount, AccountingState Accounting, string? BankTxnId, DateTimeOffset? PaidAt);
