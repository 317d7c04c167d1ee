using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Temporalio.Api.Common.V1;

namespace Payments.DevServer.Engine;

/// <summary>Temporal's payload size limits, from the dynamic config: a warning past the warn limit, a refusal past the error limit.</summary>
internal sealed class BlobLimits(DynamicConfig config, ILogger logger)
{
    /// <summary>True when the payloads fit the error limit; logs a warning past the warn limit.</summary>
    public bool Fits(IMessage? blob, string what, string workflowId) =>
        Fits(blob?.CalculateSize() ?? 0, config.BlobSizeWarn, config.BlobSizeError, what, workflowId);

    /// <summary>Refuses (InvalidArgument, Temporal's message) payloads past the error limit.</summary>
    public void Check(IMessage? blob, string what, string workflowId)
    {
        if (!Fits(blob, what, workflowId))
        {
            throw TemporalErrors.InvalidArgument("Blob data size exceeds limit.");
        }
    }

    /// <summary>The same for a memo, which has limits of its own.</summary>
    public void CheckMemo(Memo? memo, string workflowId)
    {
        if (!Fits(memo?.CalculateSize() ?? 0, config.MemoSizeWarn, config.MemoSizeError, "memo", workflowId))
        {
            throw TemporalErrors.InvalidArgument("Memo size exceeds limit.");
        }
    }

    private bool Fits(int size, long warn, long error, string what, string workflowId)
    {
        if (size > error)
        {
            logger.LogWarning("Workflow {WorkflowId}: {What} of {SizeBytes} bytes refused (limit {ErrorBytes})", workflowId, what, size, error);
            return false;
        }
        if (size > warn)
        {
            logger.LogWarning("Workflow {WorkflowId}: {What} of {SizeBytes} bytes is past the warn limit {WarnBytes} (refused past {ErrorBytes})", workflowId, what, size, warn, error);
        }
        return true;
    }
}
