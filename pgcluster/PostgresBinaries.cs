namespace Payments.PgCluster;

/// <summary>Finds the PostgreSQL server programs (initdb, pg_ctl): on PATH first, then in Debian's versioned folders.</summary>
public sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin: " +
        "install them with 'sudo apt-get install -y postgresql', or configure a connection string to an existing server.";

    public static PostgresBinaries Find()
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(DebianFolders());
        foreach (var folder in folders)
        {
            var initDb = Path.Combine(folder, "initdb");
            var pgCtl = Path.Combine(folder, "pg_ctl");
            if (File.Exists(initDb) && File.Exists(pgCtl))
            {
                return new PostgresBinaries(initDb, pgCtl);
            }
        }
        throw new PostgresNotFoundException(InstallHint);
    }

    // Newest major version first: /usr/lib/postgresql/17/bin before /usr/lib/postgresql/15/bin.
    private static IEnumerable<string> DebianFolders() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : 0))
                .OrderByDescending(d => d.version)
                .Select(d => Path.Combine(d.dir, "bin"))
            : [];
}

public sealed class PostgresNotFoundException(string message) : Exception(message);
