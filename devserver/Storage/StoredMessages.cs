using Google.Protobuf;

namespace Payments.DevServer.Storage;

/// <summary>A protobuf message (or its absence) inside a binary state record: its length (-1 for none), then its bytes.</summary>
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
}
