using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Temporalio.Api.Schedule.V1;
using static Payments.DevServer.Storage.StoredMessages;

namespace Payments.DevServer.Schedules;

/// <summary>A schedule as a small versioned binary record, for the durable mode.</summary>
internal static class ScheduleRecordState
{
    private const byte Version = 1;

    public static byte[] Write(ScheduleRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            WriteMessage(writer, record.Schedule);
            WriteMessage(writer, record.Info);
            WriteMessage(writer, record.Memo);
            WriteMessage(writer, record.SearchAttributes);
            writer.Write(record.ConflictToken);
            writer.Write(record.ProcessedUntil.Ticks);
            writer.Write(record.Buffer.Count);
            foreach (var start in record.Buffer)
            {
                writer.Write(start.Nominal.Ticks);
                writer.Write(start.Actual.Ticks);
                writer.Write((int)start.Overlap);
                writer.Write(start.Manual);
            }
            WriteMessage(writer, record.LastCompletionResult);
            WriteMessage(writer, record.LastFailure);
        }
        return stream.ToArray();
    }

    public static ScheduleRecord Read(string ns, string scheduleId, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        if (reader.ReadByte() != Version)
        {
            throw new InvalidDataException($"Schedule {scheduleId} has state of an unknown version");
        }
        var record = new ScheduleRecord(ns, scheduleId)
        {
            Schedule = ReadMessage(reader, Schedule.Parser) ?? new Schedule(),
            Info = ReadMessage(reader, ScheduleInfo.Parser) ?? new ScheduleInfo(),
            Memo = ReadMessage(reader, Memo.Parser),
            SearchAttributes = ReadMessage(reader, SearchAttributes.Parser),
            ConflictToken = reader.ReadInt64(),
            ProcessedUntil = new DateTime(reader.ReadInt64(), DateTimeKind.Utc),
        };
        for (var count = reader.ReadInt32(); count > 0; count--)
        {
            record.Buffer.Add(new BufferedStart(
                new DateTime(reader.ReadInt64(), DateTimeKind.Utc),
                new DateTime(reader.ReadInt64(), DateTimeKind.Utc),
                (ScheduleOverlapPolicy)reader.ReadInt32(),
                reader.ReadBoolean()));
        }
        record.LastCompletionResult = ReadMessage(reader, Payloads.Parser);
        record.LastFailure = ReadMessage(reader, Failure.Parser);
        record.Spec = CompiledSpec.Compile(record.Schedule.Spec ?? new ScheduleSpec());
        return record;
    }
}
