using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.History.V1;
using Temporalio.Api.WorkflowService.V1;
using Temporalio.Client;

namespace Payments.DevServer.Tests;

/// <summary>Waits for a workflow's history to reach an event with the server's long poll, as the SDK's own history readers do.</summary>
internal static class HistoryWait
{
    public static async Task<HistoryEvent> WaitForEventAsync(this WorkflowHandle handle, EventType eventType)
    {
        var pageToken = ByteString.Empty;
        while (true)
        {
            var page = await handle.Client.WorkflowService.GetWorkflowExecutionHistoryAsync(new GetWorkflowExecutionHistoryRequest
            {
                Namespace = handle.Client.Options.Namespace,
                Execution = new Temporalio.Api.Common.V1.WorkflowExecution { WorkflowId = handle.Id, RunId = handle.RunId ?? "" },
                WaitNewEvent = true,
                NextPageToken = pageToken,
            });
            if (page.History.Events.FirstOrDefault(historyEvent => historyEvent.EventType == eventType) is { } found)
            {
                return found;
            }
            if (page.NextPageToken.IsEmpty)
            {
                throw new InvalidOperationException($"Workflow {handle.Id} closed without a {eventType} event");
            }
            pageToken = page.NextPageToken;
        }
    }
}
