using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Payments.DevServer.Engine;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;

namespace Payments.DevServer.Storage;

/// <summary>
/// Durable dev mode: histories and the small non-history state of every run in one SQLite file (WAL).
/// A single writer groups whatever is queued into one transaction (group commit); callers answer once it committed.
/// </summary>
internal sealed class SqliteEngineStore : IEngineStore
{
    private readonly SqliteConnection _connection;
    private readonly Channel<(Action<SqliteTransaction> Write, TaskCompletionSource Done)> _queue = Channel.CreateUnbounded<(Action<SqliteTransaction>, TaskCompletionSource)>();
    private readonly Task _writer;
    private readonly ILogger _logger;
    private readonly RunWrites _runWrites;

    private SqliteEngineStore(SqliteConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _runWrites = new RunWrites(connection);
        _writer = Task.Run(WriteLoopAsync);
    }

    public static SqliteEngineStore Open(string path, ILogger logger)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS namespaces (name TEXT PRIMARY KEY, id TEXT NOT NULL, search_attributes TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL UNIQUE, namespace TEXT NOT NULL, workflow_id TEXT NOT NULL, state BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS events (run_id TEXT NOT NULL, event_index INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, event_index)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS schedules (namespace TEXT NOT NULL, schedule_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (namespace, schedule_id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS standalone_activities (run_id TEXT PRIMARY KEY, namespace TEXT NOT NULL, activity_id TEXT NOT NULL, state BLOB NOT NULL) WITHOUT ROWID;
            """);
        return new SqliteEngineStore(connection, logger);
    }

    public Task WriteAsync(IReadOnlyList<RunSnapshot> runs) => Enqueue(tx =>
    {
        foreach (var run in runs)
        {
            _runWrites.Write(tx, run);
        }
    });

    public Task WriteNamespaceAsync(string name, string id, IReadOnlyDictionary<string, IndexedValueType> searchAttributes) => Enqueue(tx =>
    {
        using var upsert = Command(tx, "INSERT OR REPLACE INTO namespaces (name, id, search_attributes) VALUES ($name, $id, $sa)");
        upsert.Parameters.AddWithValue("$name", name);
        upsert.Parameters.AddWithValue("$id", id);
        upsert.Parameters.AddWithValue("$sa", string.Join('\n', searchAttributes.Select(attribute => $"{attribute.Key}={attribute.Value}")));
        upsert.ExecuteNonQuery();
    });

    public Task WriteScheduleAsync(string ns, string scheduleId, byte[]? state) => Enqueue(tx =>
    {
        using var write = Command(tx, state is null
            ? "DELETE FROM schedules WHERE namespace = $ns AND schedule_id = $id"
            : "INSERT OR REPLACE INTO schedules (namespace, schedule_id, state) VALUES ($ns, $id, $state)");
        write.Parameters.AddWithValue("$ns", ns);
        write.Parameters.AddWithValue("$id", scheduleId);
        if (state is not null)
        {
            write.Parameters.AddWithValue("$state", state);
        }
        write.ExecuteNonQuery();
    });

    public Task WriteStandaloneActivityAsync(string ns, string runId, string activityId, byte[]? state) => Enqueue(tx =>
    {
        using var write = Command(tx, state is null
            ? "DELETE FROM standalone_activities WHERE run_id = $run"
            : "INSERT OR REPLACE INTO standalone_activities (run_id, namespace, activity_id, state) VALUES ($run, $ns, $id, $state)");
        write.Parameters.AddWithValue("$run", runId);
        if (state is not null)
        {
            write.Parameters.AddWithValue("$ns", ns);
            write.Parameters.AddWithValue("$id", activityId);
            write.Parameters.AddWithValue("$state", state);
        }
        write.ExecuteNonQuery();
    });

    public IReadOnlyList<(string Namespace, string ScheduleId, byte[] State)> ReadSchedules()
    {
        var schedules = new List<(string, string, byte[])>();
        // Through the writer: the runs just restored write as they are re-armed, and a read beside its open transaction fails.
        Enqueue(tx =>
        {
            using var read = Command(tx, "SELECT namespace, schedule_id, state FROM schedules");
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                schedules.Add((reader.GetString(0), reader.GetString(1), (byte[])reader[2]));
            }
        }).GetAwaiter().GetResult();
        return schedules;
    }

    /// <summary>Loads every namespace and run into the engine, then re-arms their timers and tasks.</summary>
    public void Restore(TemporalEngine engine)
    {
        using (var namespaces = new SqliteCommand("SELECT name, id, search_attributes FROM namespaces", _connection))
        using (var reader = namespaces.ExecuteReader())
        {
            while (reader.Read())
            {
                var ns = engine.AddNamespace(reader.GetString(0), reader.GetString(1));
                foreach (var line in reader.GetString(2).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    ns.SearchAttributes.Register(line[..eq], Enum.Parse<IndexedValueType>(line[(eq + 1)..]));
                }
            }
        }
        var restored = new List<Execution>();
        using (var runs = new SqliteCommand("SELECT run_id, namespace, workflow_id, state FROM runs ORDER BY seq", _connection))
        using (var reader = runs.ExecuteReader())
        {
            while (reader.Read())
            {
                var ns = engine.AddNamespace(reader.GetString(1));
                var chain = ns.GetOrAddChain(reader.GetString(2));
                var run = new Execution(chain, reader.GetString(0), engine.Clock);
                LoadHistory(run);
                chain.Runs.Add(run);
                RunState.Read(run, (byte[])reader[3]);
                restored.Add(run);
            }
        }
        // Read before the runs are re-armed: re-arming writes in the writer's open transaction, and a read beside it fails.
        var activities = new List<StandaloneActivity>();
        using (var stored = new SqliteCommand("SELECT state FROM standalone_activities", _connection))
        using (var reader = stored.ExecuteReader())
        {
            while (reader.Read())
            {
                activities.Add(StandaloneActivityState.Read((byte[])reader[0]));
            }
        }
        restored.ForEach(engine.Reactivate);
        engine.StandaloneActivities.Restore(activities.OrderBy(activity => activity.ScheduleTime));
        _logger.LogInformation("Restored {Runs} workflow runs and {Activities} standalone activities", restored.Count, activities.Count);
    }

    private void LoadHistory(Execution run)
    {
        using var events = new SqliteCommand("SELECT data FROM events WHERE run_id = $run ORDER BY event_index", _connection);
        events.Parameters.AddWithValue("$run", run.RunId);
        using var reader = events.ExecuteReader();
        while (reader.Read())
        {
            var historyEvent = HistoryEvent.Parser.ParseFrom((byte[])reader[0]);
            run.History.Add(historyEvent);
            run.HistorySizeBytes += historyEvent.CalculateSize();
            run.Apply(historyEvent);
        }
        run.PersistedEventCount = run.History.Count;
    }

    private Task Enqueue(Action<SqliteTransaction> write)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((write, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(SqliteEngineStore)));
        }
        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(Action<SqliteTransaction> Write, TaskCompletionSource Done)>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (_queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                using (var tx = _connection.BeginTransaction())
                {
                    batch.ForEach(item => item.Write(tx));
                    tx.Commit();
                }
                batch.ForEach(item => item.Done.TrySetResult());
            }
            catch (SqliteException error)
            {
                _logger.LogError(error, "Writing {Count} changes to the database failed", batch.Count);
                batch.ForEach(item => item.Done.TrySetException(error));
            }
            batch.Clear();
        }
    }

    private static SqliteCommand Command(SqliteTransaction tx, string sql) => new(sql, tx.Connection, tx);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
        _runWrites.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// The two statements every change writes, prepared once and kept for the connection's life (used on the writer
    /// thread only): a new command per write had SQLite parse and plan its SQL again each time.
    /// </summary>
    private sealed class RunWrites : IDisposable
    {
        private readonly SqliteCommand _upsert;
        private readonly SqliteParameter _upsertRunId;
        private readonly SqliteParameter _namespace;
        private readonly SqliteParameter _workflowId;
        private readonly SqliteParameter _state;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _insertRunId;
        private readonly SqliteParameter _eventIndex;
        private readonly SqliteParameter _eventData;

        public RunWrites(SqliteConnection connection)
        {
            _upsert = new SqliteCommand("""
                INSERT INTO runs (run_id, namespace, workflow_id, state) VALUES ($run, $ns, $wf, $state)
                ON CONFLICT (run_id) DO UPDATE SET state = excluded.state
                """, connection);
            _upsertRunId = _upsert.Parameters.Add("$run", SqliteType.Text);
            _namespace = _upsert.Parameters.Add("$ns", SqliteType.Text);
            _workflowId = _upsert.Parameters.Add("$wf", SqliteType.Text);
            _state = _upsert.Parameters.Add("$state", SqliteType.Blob);
            _insert = new SqliteCommand("INSERT OR REPLACE INTO events (run_id, event_index, data) VALUES ($run, $index, $data)", connection);
            _insertRunId = _insert.Parameters.Add("$run", SqliteType.Text);
            _eventIndex = _insert.Parameters.Add("$index", SqliteType.Integer);
            _eventData = _insert.Parameters.Add("$data", SqliteType.Blob);
        }

        /// <summary>The run's state and its new events, in the writer's open transaction.</summary>
        public void Write(SqliteTransaction tx, RunSnapshot run)
        {
            _upsert.Transaction = tx;
            _upsertRunId.Value = run.RunId;
            _namespace.Value = run.Namespace;
            _workflowId.Value = run.WorkflowId;
            _state.Value = run.State;
            _upsert.ExecuteNonQuery();
            _insert.Transaction = tx;
            _insertRunId.Value = run.RunId;
            for (var offset = 0; offset < run.NewEvents.Count; offset++)
            {
                _eventIndex.Value = run.FirstNewEventIndex + offset;
                _eventData.Value = run.NewEvents[offset];
                _insert.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            _upsert.Dispose();
            _insert.Dispose();
        }
    }
}
