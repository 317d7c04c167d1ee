using Google.Protobuf;
using Payments.DevServer.Engine;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Execution = Payments.DevServer.Engine.Execution;
using static Payments.DevServer.Storage.StoredMessages;

namespace Payments.DevServer.Storage;

/// <summary>The non-history part of a run's state, as a small versioned binary record.</summary>
internal static class RunState
{
    /// <summary>2 added each activity's operator state (pause, reset, changed options); version 1 records still read.</summary>
    private const byte Version = 2;

    public static byte[] Write(Execution run)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            writer.Write(run.StickyQueue ?? "");
            WriteMessage(writer, new History { Events = { run.Buffered } });
            var requestIds = run.Chain.StartRequestIds.Where(known => known.Value == run.RunId).Select(known => known.Key).ToList();
            writer.Write(requestIds.Count);
            requestIds.ForEach(writer.Write);
            writer.Write(run.Activities.Count);
            foreach (var activity in run.Activities.Values)
            {
                writer.Write(activity.ScheduledEventId);
                writer.Write(activity.Attempt);
                writer.Write(activity.AttemptScheduledTime.Ticks);
                writer.Write(activity.IsStarted);
                writer.Write(activity.StartedTime?.Ticks ?? 0);
                writer.Write(activity.StartedIdentity);
                writer.Write(activity.StartRequestId);
                writer.Write(activity.LastHeartbeatTime?.Ticks ?? 0);
                WriteMessage(writer, activity.HeartbeatDetails);
                WriteMessage(writer, activity.LastFailure);
                WriteOperatorState(writer, activity);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Restores these facts onto a run whose history was already applied.</summary>
    public static void Read(Execution run, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        var version = reader.ReadByte();
        if (version is < 1 or > Version)
        {
            throw new InvalidDataException($"Run {run.RunId} has state of an unknown version");
        }
        var sticky = reader.ReadString();
        run.StickyQueue = sticky.Length == 0 ? null : sticky;
        foreach (var buffered in ReadMessage(reader, History.Parser)?.Events ?? [])
        {
            run.Buffered.Add(buffered);
            run.Apply(buffered);
        }
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            run.Chain.StartRequestIds[reader.ReadString()] = run.RunId;
        }
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            var scheduledEventId = reader.ReadInt64();
            var activity = run.Activities[scheduledEventId];
            activity.Attempt = reader.ReadInt32();
            activity.AttemptScheduledTime = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
            activity.IsStarted = reader.ReadBoolean();
            var started = reader.ReadInt64();
            activity.StartedTime = started == 0 ? null : new DateTime(started, DateTimeKind.Utc);
            activity.StartedIdentity = reader.ReadString();
            activity.StartRequestId = reader.ReadString();
            var beat = reader.ReadInt64();
            activity.LastHeartbeatTime = beat == 0 ? null : new DateTime(beat, DateTimeKind.Utc);
            activity.HeartbeatDetails = ReadMessage(reader, Payloads.Parser);
            activity.LastFailure = ReadMessage(reader, Failure.Parser);
            if (version >= 2)
            {
                ReadOperatorState(reader, activity);
            }
        }
    }

    private static void WriteOperatorState(BinaryWriter writer, ActivityInfo activity)
    {
        WritePause(writer, activity.Pause);
        writer.Write(activity.ResetRequested);
        writer.Write(activity.ResetHeartbeatOnRetry);
        WriteMessage(writer, activity.OptionsChanged ? activity.Attributes : null);
    }

    private static void ReadOperatorState(BinaryReader reader, ActivityInfo activity)
    {
        activity.Pause = ReadPause(reader);
        activity.ResetRequested = reader.ReadBoolean();
        activity.ResetHeartbeatOnRetry = reader.ReadBoolean();
        if (ReadMessage(reader, ActivityTaskScheduledEventAttributes.Parser) is { } changed)
        {
            activity.RestoreChangedOptions(changed);
        }
    }
}
