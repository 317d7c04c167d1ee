using Google.Protobuf;
using Payments.DevServer.Engine;

namespace Payments.DevServer.Storage;

/// <summary>Values inside a binary state record: a protobuf message (or its absence) as its length (-1 for none) then its bytes; an activity's pause.</summary>
internal static class StoredMessages
{
    public static void WriteMessage(BinaryWriter writer, IMessage? message)
    {
        var bytes = message?.ToByteArray();
        writer.Write(bytes is null ? -1 : bytes.Length);
        if (bytes is not null)
        {
            writer.Write(bytes);
        }
    }

    public static T? ReadMessage<T>(BinaryReader reader, MessageParser<T> parser) where T : class, IMessage<T>
    {
        var length = reader.ReadInt32();
        return length < 0 ? null : parser.ParseFrom(reader.ReadBytes(length));
    }

    /// <summary>An operator's pause of an activity (or its absence), as activities of both kinds store it.</summary>
    public static void WritePause(BinaryWriter writer, ActivityPause? pause)
    {
        writer.Write(pause is not null);
        if (pause is not null)
        {
            writer.Write(pause.Time.Ticks);
            writer.Write(pause.Identity);
            writer.Write(pause.Reason);
            writer.Write(pause.RequestId);
        }
    }

    public static ActivityPause? ReadPause(BinaryReader reader) =>
        reader.ReadBoolean() ? new ActivityPause(new DateTime(reader.ReadInt64(), DateTimeKind.Utc), reader.ReadString(), reader.ReadString(), reader.ReadString()) : null;
}
