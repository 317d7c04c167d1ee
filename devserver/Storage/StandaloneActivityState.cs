using Payments.DevServer.Engine;
using Temporalio.Api.Activity.V1;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.WorkflowService.V1;
using static Payments.DevServer.Storage.StoredMessages;

namespace Payments.DevServer.Storage;

/// <summary>A standalone activity run (it has no history), as a small versioned binary record.</summary>
internal static class StandaloneActivityState
{
    private const byte Version = 1;

    public static byte[] Write(StandaloneActivity activity)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            writer.Write(activity.Namespace);
            writer.Write(activity.RunId);
            WriteMessage(writer, activity.Request);
            WriteMessage(writer, activity.RetryPolicy);
            writer.Write(activity.ScheduleTime.Ticks);
            writer.Write((int)activity.Status);
            writer.Write(activity.CloseTime?.Ticks ?? 0);
            WriteMessage(writer, activity.Outcome);
            writer.Write(activity.Attempt);
            writer.Write(activity.AttemptScheduledTime.Ticks);
            writer.Write(activity.IsStarted);
            writer.Write(activity.StartedTime?.Ticks ?? 0);
            writer.Write(activity.WorkerIdentity);
            WriteMessage(writer, activity.HeartbeatDetails);
            writer.Write(activity.LastHeartbeatTime?.Ticks ?? 0);
            writer.Write(activity.HeartbeatCount);
            WriteMessage(writer, activity.LastFailure);
            writer.Write(activity.CancelRequested);
            writer.Write(activity.CancelReason);
            WritePause(writer, activity.Pause);
        }
        return stream.ToArray();
    }

    public static StandaloneActivity Read(byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException("A standalone activity has state of an unknown version");
        }
        var ns = reader.ReadString();
        var runId = reader.ReadString();
        var request = ReadMessage(reader, StartActivityExecutionRequest.Parser)!;
        var retryPolicy = ReadMessage(reader, RetryPolicy.Parser)!;
        var activity = new StandaloneActivity(ns, request, retryPolicy, Utc(reader.ReadInt64())!.Value, runId);
        var status = (ActivityExecutionStatus)reader.ReadInt32();
        var closeTime = Utc(reader.ReadInt64());
        var outcome = ReadMessage(reader, ActivityExecutionOutcome.Parser);
        activity.Attempt = reader.ReadInt32();
        activity.AttemptScheduledTime = Utc(reader.ReadInt64())!.Value;
        activity.IsStarted = reader.ReadBoolean();
        activity.StartedTime = Utc(reader.ReadInt64());
        activity.WorkerIdentity = reader.ReadString();
        activity.HeartbeatDetails = ReadMessage(reader, Payloads.Parser);
        activity.LastHeartbeatTime = Utc(reader.ReadInt64());
        activity.HeartbeatCount = reader.ReadInt64();
        activity.LastFailure = ReadMessage(reader, Failure.Parser);
        activity.CancelRequested = reader.ReadBoolean();
        activity.CancelReason = reader.ReadString();
        activity.Pause = ReadPause(reader);
        if (status != ActivityExecutionStatus.Running)
        {
            activity.Close(status, outcome!, closeTime!.Value);
        }
        return activity;
    }

    private static DateTime? Utc(long ticks) => ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc);
}
