using Payments.DevServer.Storage;

namespace Payments.DevServer.Schedules;

/// <summary>
/// Every schedule of the server, the one gate all schedule changes pass through (one at a time: schedules are few
/// and cheap), which schedule started which running workflow, and the write of a changed schedule to the store.
/// </summary>
internal sealed class ScheduleRegistry(IEngineStore? store) : IDisposable
{
    private readonly Dictionary<(string Namespace, string ScheduleId), ScheduleRecord> _schedules = [];
    private readonly Dictionary<(string Namespace, string WorkflowId), ScheduleRecord> _byRunningWorkflow = [];
    private readonly Lock _indexLock = new();

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public ScheduleRecord? Find(string ns, string scheduleId)
    {
        lock (_indexLock)
        {
            return _schedules.GetValueOrDefault((ns, scheduleId));
        }
    }

    public IReadOnlyList<ScheduleRecord> InNamespace(string ns)
    {
        lock (_indexLock)
        {
            return _schedules.Values.Where(schedule => schedule.Namespace == ns).OrderBy(schedule => schedule.ScheduleId, StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<ScheduleRecord> All()
    {
        lock (_indexLock)
        {
            return _schedules.Values.ToList();
        }
    }

    public void Add(ScheduleRecord record)
    {
        lock (_indexLock)
        {
            _schedules[(record.Namespace, record.ScheduleId)] = record;
            foreach (var running in record.Info.RunningWorkflows)
            {
                _byRunningWorkflow[(record.Namespace, running.WorkflowId)] = record;
            }
        }
    }

    public void Remove(ScheduleRecord record)
    {
        lock (_indexLock)
        {
            _schedules.Remove((record.Namespace, record.ScheduleId));
            foreach (var running in record.Info.RunningWorkflows)
            {
                _byRunningWorkflow.Remove((record.Namespace, running.WorkflowId));
            }
        }
    }

    /// <summary>Called from the engine's close notification: cheap, so workflows no schedule started cost nothing.</summary>
    public ScheduleRecord? StartedBy(string ns, string workflowId)
    {
        lock (_indexLock)
        {
            return _byRunningWorkflow.GetValueOrDefault((ns, workflowId));
        }
    }

    public void TrackRunning(ScheduleRecord record, string workflowId)
    {
        lock (_indexLock)
        {
            _byRunningWorkflow[(record.Namespace, workflowId)] = record;
        }
    }

    public void UntrackRunning(ScheduleRecord record, string workflowId)
    {
        lock (_indexLock)
        {
            _byRunningWorkflow.Remove((record.Namespace, workflowId));
        }
    }

    /// <summary>Writes the schedule (or its removal) before the call that changed it is answered.</summary>
    public Task PersistAsync(ScheduleRecord record, bool deleted = false) =>
        store?.WriteScheduleAsync(record.Namespace, record.ScheduleId, deleted ? null : ScheduleRecordState.Write(record)) ?? Task.CompletedTask;

    /// <summary>The stored schedules, for a restart of the durable mode.</summary>
    public IReadOnlyList<ScheduleRecord> LoadStored() =>
        store?.ReadSchedules().Select(stored => ScheduleRecordState.Read(stored.Namespace, stored.ScheduleId, stored.State)).ToList() ?? [];

    public void Dispose() => Gate.Dispose();
}
