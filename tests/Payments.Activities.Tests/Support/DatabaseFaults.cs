namespace Payments.Activities.Tests.Support;

/// <summary>
/// Faults injected from outside the product: a trigger on a participant's table that raises a chosen SQLSTATE, or
/// stalls in <c>pg_sleep</c>, for the rows whose key is listed in <c>public.injected_faults</c>.
/// </summary>
public sealed class DatabaseFaults(ParticipantsFixture fixture)
{
    public const string SerializationFailure = "40001";
    public const string DeadlockDetected = "40P01";
    private const string Stall = "stall";

    /// <summary>Arms the trigger on <paramref name="table"/>, keyed by <paramref name="keyColumn"/> (constants of the test).</summary>
    public async Task InstallAsync(string table, string keyColumn)
    {
        await fixture.ExecuteAsync(
            """
            CREATE TABLE IF NOT EXISTS public.injected_faults (key text PRIMARY KEY, sqlstate text NOT NULL);
            CREATE OR REPLACE FUNCTION public.inject_fault() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                fault text;
            BEGIN
                SELECT sqlstate INTO fault FROM public.injected_faults WHERE key = to_jsonb(NEW) ->> TG_ARGV[0];
                IF fault = 'stall' THEN
                    PERFORM pg_sleep(120);
                ELSIF fault = 'slow' THEN
                    PERFORM pg_sleep(1);
                ELSIF fault IS NOT NULL THEN
                    RAISE EXCEPTION 'injected fault on %', TG_TABLE_NAME USING ERRCODE = fault;
                END IF;
                RETURN NEW;
            END;
            $$;
            """);
        var trigger = $"inject_fault_{table.Replace('.', '_')}";
        await fixture.ExecuteAsync(
            $"""
            DROP TRIGGER IF EXISTS {trigger} ON {table};
            CREATE TRIGGER {trigger} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION public.inject_fault('{keyColumn}');
            """);
    }

    public Task FailAsync(string key, string sqlState) =>
        fixture.ExecuteAsync(
            "INSERT INTO public.injected_faults (key, sqlstate) VALUES (@key, @state) ON CONFLICT (key) DO UPDATE SET sqlstate = excluded.sqlstate",
            ("key", key), ("state", sqlState));

    public Task StallAsync(string key) => FailAsync(key, Stall);

    /// <summary>Holds each change of the row for a second inside its transaction, so others meet it in flight.</summary>
    public Task SlowDownAsync(string key) => FailAsync(key, "slow");

    public Task HealAsync(string key) => fixture.ExecuteAsync("DELETE FROM public.injected_faults WHERE key = @key", ("key", key));

    /// <summary>Returns once a backend sits in the slowed trigger.</summary>
    public async Task WaitForSlowedBackendAsync()
    {
        while (await fixture.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()") == 0)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Kills the backend stalled in the trigger, as a lost connection would, once it is there.</summary>
    public async Task TerminateStalledBackendAsync()
    {
        while (true)
        {
            var terminated = await fixture.ScalarAsync(
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()
                """);
            if (terminated > 0)
            {
                return;
            }
            await Task.Delay(20);
        }
    }
}
