using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Storage;

/// <summary>Where the engine's state goes in durable mode; a write completes once it is on disk.</summary>
internal interface IEngineStore : IDisposable
{
    /// <summary>Loads everything stored into the engine (at start, before any call is served).</summary>
    void Restore(Engine.TemporalEngine engine);

    Task WriteAsync(IReadOnlyList<RunSnapshot> runs);

    Task WriteNamespaceAsync(string name, string id, IReadOnlyDictionary<string, IndexedValueType> searchAttributes);

    /// <summary>Stores a schedule's state, or deletes the schedule when <paramref name="state"/> is null.</summary>
    Task WriteScheduleAsync(string ns, string scheduleId, byte[]? state);

    IReadOnlyList<(string Namespace, string ScheduleId, byte[] State)> ReadSchedules();

    /// <summary>Stores a standalone activity run's state, or deletes the run when <paramref name="state"/> is null.</summary>
    Task WriteStandaloneActivityAsync(string ns, string runId, string activityId, byte[]? state);
}
