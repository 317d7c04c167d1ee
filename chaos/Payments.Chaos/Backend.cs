using Npgsql;

namespace Payments.Chaos;

/// <summary>
/// A PostgreSQL backend on the platform's database as <c>pg_stat_activity</c> shows it: whose it is (the host's
/// <c>Application Name</c>), its state, since when, and its last query — so a backends check that fails says who holds them.
/// </summary>
internal sealed record Backend(int Pid, string Application, string State, int StateSeconds, int ConnectedSeconds, string LastQuery)
{
    /// <summary>Every backend on the connection's database but the connection's own.</summary>
    public static async Task<IReadOnlyList<Backend>> ListAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT pid, coalesce(nullif(application_name, ''), '(no application name)'), coalesce(state, 'unknown'),
                   extract(epoch FROM now() - coalesce(state_change, backend_start))::int,
                   extract(epoch FROM now() - backend_start)::int,
                   left(regexp_replace(coalesce(query, ''), '\s+', ' ', 'g'), 80)
            FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            ORDER BY 2, 4
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var backends = new List<Backend>();
        while (await reader.ReadAsync(cancellationToken))
        {
            backends.Add(new Backend(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetString(5)));
        }
        return backends;
    }

    /// <summary>How many each application holds, e.g. <c>Payments.Api 2, Payments.Workers 1</c>.</summary>
    public static string PerApplication(IEnumerable<Backend> backends) =>
        string.Join(", ", backends.GroupBy(b => b.Application).Select(g => $"{g.Key} {g.Count()}"));

    public override string ToString() =>
        $"{Application} pid {Pid} {State} for {StateSeconds} s (connected {ConnectedSeconds} s ago), last query: {LastQuery}";
}
