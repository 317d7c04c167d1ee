using Google.Protobuf;

namespace Payments.DevServer.Engine;

internal enum TaskTokenKind : byte
{
    Workflow = 1,
    Activity = 2,
    Query = 3,
    StandaloneActivity = 4,
}

/// <summary>What a task token names: a workflow task, an activity attempt, or a query task.</summary>
internal sealed record TaskToken(TaskTokenKind Kind, string Namespace, string WorkflowId, string RunId, long EventId, int Attempt, string QueryId = "")
{
    private const byte Version = 1;

    public ByteString ToByteString()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Version);
            writer.Write((byte)Kind);
            writer.Write(Namespace);
            writer.Write(WorkflowId);
            writer.Write(RunId);
            writer.Write(EventId);
            writer.Write(Attempt);
            writer.Write(QueryId);
        }
        return ByteString.CopyFrom(stream.ToArray());
    }

    /// <summary>True for the token of a standalone activity's attempt (workers answer both kinds through the same calls).</summary>
    public static bool IsStandaloneActivity(ByteString token) => token.Length > 1 && token[1] == (byte)TaskTokenKind.StandaloneActivity;

    /// <summary>Decodes a token; anything malformed is the caller's InvalidArgument.</summary>
    public static TaskToken Parse(ByteString token, TaskTokenKind expected)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(token.ToByteArray()));
            if (reader.ReadByte() != Version)
            {
                throw TemporalErrors.InvalidArgument("Task token has an unknown version");
            }
            var kind = (TaskTokenKind)reader.ReadByte();
            var parsed = new TaskToken(kind, reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt32(), reader.ReadString());
            return parsed.Kind == expected ? parsed : throw TemporalErrors.InvalidArgument($"Task token is not a {expected} task token");
        }
        catch (EndOfStreamException)
        {
            throw TemporalErrors.InvalidArgument("Task token is malformed");
        }
        catch (IOException)
        {
            throw TemporalErrors.InvalidArgument("Task token is malformed");
        }
    }
}
