using System.Text.Json;
using Google.Protobuf;

namespace Payments.DevServer.Visibility;

/// <summary>
/// Where the next page starts: after the last execution returned (default order, so pages stay stable while
/// executions come and go), or at an offset into a custom ORDER BY.
/// </summary>
internal sealed record PageToken(long? CloseTicks, long StartTicks, string RunId, string WorkflowId, int Offset)
{
    public static PageToken After(VisibilityRecord record) =>
        new(record.CloseTime?.Ticks, record.StartTime.Ticks, record.RunId, record.WorkflowId, 0);

    public static PageToken At(int offset) => new(null, 0, string.Empty, string.Empty, offset);

    public static PageToken? Decode(ByteString token)
    {
        if (token.IsEmpty)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PageToken>(token.Span) ?? throw InvalidToken();
        }
        catch (JsonException)
        {
            throw InvalidToken();
        }
    }

    public ByteString Encode() => ByteString.CopyFrom(JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>A record that sorts exactly where the last returned execution did.</summary>
    public VisibilityRecord Probe() => VisibilityRecord.Probe(
        CloseTicks is { } close ? new DateTime(close, DateTimeKind.Utc) : null, new DateTime(StartTicks, DateTimeKind.Utc), RunId, WorkflowId);

    private static Grpc.Core.RpcException InvalidToken() => VisibilityErrors.InvalidArgument("Invalid NextPageToken.");
}
