using Google.Protobuf;
using Payments.DevServer.Engine;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.History.V1;
using Execution = Payments.DevServer.Engine.Execution;

namespace Payments.DevServer.Storage;

/// <summary>The non-history part of a run's state, as a small versioned binary record.</summary>
internal static class RunState
{
    private const byte Version = 1;

    public static byte[] Write(Execution x)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write(Version);
            w.Write(x.StickyQueue ?? "");
            WriteMessage(w, new History { Events = { x.Buffered } });
            var requestIds = x.Chain.StartRequestIds.Where(p => p.Value == x.RunId).Select(p => p.Key).ToList();
            w.Write(requestIds.Count);
            requestIds.ForEach(w.Write);
            w.Write(x.Activities.Count);
            foreach (var a in x.Activities.Values)
            {
                w.Write(a.ScheduledEventId);
                w.Write(a.Attempt);
                w.Write(a.AttemptScheduledTime.Ticks);
                w.Write(a.IsStarted);
                w.Write(a.StartedTime?.Ticks ?? 0);
                w.Write(a.StartedIdentity);
                w.Write(a.StartRequestId);
                w.Write(a.LastHeartbeatTime?.Ticks ?? 0);
                WriteMessage(w, a.HeartbeatDetails);
                WriteMessage(w, a.LastFailure);
            }
        }
        return stream.ToArray();
    }

    /// <summary>Restores these facts onto a run whose history was already applied.</summary>
    public static void Read(Execution x, byte[] state)
    {
        using var r = new BinaryReader(new MemoryStream(state));
        if (r.ReadByte() != Version)
        {
            throw new InvalidDataException($"Run {x.RunId} has state of an unknown version");
        }
        var sticky = r.ReadString();
        x.StickyQueue = sticky.Length == 0 ? null : sticky;
        foreach (var e in ReadMessage(r, History.Parser)?.Events ?? [])
        {
            x.Buffered.Add(e);
            x.Apply(e);
        }
        for (var count = r.ReadInt32(); count > 0; count--)
        {
            x.Chain.StartRequestIds[r.ReadString()] = x.RunId;
        }
        for (var count = r.ReadInt32(); count > 0; count--)
        {
            var id = r.ReadInt64();
            var a = x.Activities[id];
            a.Attempt = r.ReadInt32();
            a.AttemptScheduledTime = new DateTime(r.ReadInt64(), DateTimeKind.Utc);
            a.IsStarted = r.ReadBoolean();
            var started = r.ReadInt64();
            a.StartedTime = started == 0 ? null : new DateTime(started, DateTimeKind.Utc);
            a.StartedIdentity = r.ReadString();
            a.StartRequestId = r.ReadString();
            var beat = r.ReadInt64();
            a.LastHeartbeatTime = beat == 0 ? null : new DateTime(beat, DateTimeKind.Utc);
            a.HeartbeatDetails = ReadMessage(r, Payloads.Parser);
            a.LastFailure = ReadMessage(r, Failure.Parser);
        }
    }

    private static void WriteMessage(BinaryWriter w, IMessage? message)
    {
        var bytes = message?.ToByteArray();
        w.Write(bytes is null ? -1 : bytes.Length);
        if (bytes is not null)
        {
            w.Write(bytes);
        }
    }

    private static T? ReadMessage<T>(BinaryReader r, MessageParser<T> parser) where T : class, IMessage<T>
    {
        var length = r.ReadInt32();
        return length < 0 ? null : parser.ParseFrom(r.ReadBytes(length));
    }
}
