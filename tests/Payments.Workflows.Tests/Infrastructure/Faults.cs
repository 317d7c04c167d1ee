using Npgsql;

namespace Payments.Workflows.Tests.Infrastructure;

/// <summary>Faults injected from outside the product: a database trigger that makes a table refuse writes until it is dropped.</summary>
internal static class Faults
{
    public static async Task<IAsyncDisposable> RefuseInsertsAsync(string connectionString, string table)
    {
        var name = $"refuse_{Guid.NewGuid():N}";
        await ExecuteAsync(
            connectionString,
            $"""
            CREATE FUNCTION public.{name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'injected fault: {table} is down'; END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION public.{name}();
            """);
        return new Fault(() => ExecuteAsync(connectionString, $"DROP TRIGGER {name} ON {table}; DROP FUNCTION public.{name}();"));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Fault(Func<Task> end) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await end();
    }
}
