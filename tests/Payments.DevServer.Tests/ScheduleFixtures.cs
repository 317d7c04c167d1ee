using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace Payments.DevServer.Tests;

/// <summary>Schedules keep firing while time is skipped: they get their own time-skipping server so other specs never see them.</summary>
[CollectionDefinition(Name)]
public sealed class ScheduleGroup : ICollectionFixture<TimeSkippingEnvironmentFixture>
{
    public const string Name = "schedules on a time-skipping server";
}

internal static class Schedules
{
    /// <summary>Deletes the schedule and ends what it started, so the shared server's virtual time is free again.</summary>
    public static async Task RemoveAsync(ITemporalClient client, ScheduleHandle handle)
    {
        var description = await handle.DescribeAsync();
        await handle.DeleteAsync();
        foreach (var running in description.Info.RunningActions.OfType<ScheduleActionExecutionStartWorkflow>())
        {
            try
            {
                await client.GetWorkflowHandle(running.WorkflowId).TerminateAsync("test over");
            }
            catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
            {
                // It closed after the describe.
            }
        }
    }

    /// <summary>Describes until the condition holds (a workflow's close reaches its schedule asynchronously); gives up after a minute.</summary>
    public static async Task<ScheduleDescription> DescribeUntilAsync(ScheduleHandle handle, Func<ScheduleDescription, bool> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var description = await handle.DescribeAsync();
            if (condition(description))
            {
                return description;
            }
            await Task.Delay(20, patience.Token);
        }
    }
}
