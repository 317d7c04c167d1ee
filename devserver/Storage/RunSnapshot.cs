using Google.Protobuf;
using Payments.DevServer.Engine;

namespace Payments.DevServer.Storage;

/// <summary>
/// What one run needs on disk after a change: its new history events, and the few facts a history does not hold
/// (buffered events, activity attempt progress, stickiness, start request ids), serialised under the run's lock.
/// </summary>
internal sealed record RunSnapshot(string Namespace, string WorkflowId, string RunId, int FirstNewEventIndex, IReadOnlyList<byte[]> NewEvents, byte[] State)
{
    public static RunSnapshot Capture(Execution run)
    {
        var first = run.PersistedEventCount;
        var events = run.History.Skip(first).Select(historyEvent => historyEvent.ToByteArray()).ToList();
        run.PersistedEventCount = run.History.Count;
        return new RunSnapshot(run.Namespace.Name, run.WorkflowId, run.RunId, first, events, RunState.Write(run));
    }
}
