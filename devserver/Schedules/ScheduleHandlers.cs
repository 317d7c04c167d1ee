using Payments.DevServer.Hosting;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Schedules;

/// <summary>Binds WorkflowService's schedule methods to the schedule service.</summary>
internal static class ScheduleHandlers
{
    public static void Register(RpcDispatcher dispatcher, ScheduleService schedules)
    {
        dispatcher.Register<CreateScheduleRequest>("CreateSchedule", async (r, _) => await schedules.CreateAsync(r));
        dispatcher.Register<DescribeScheduleRequest>("DescribeSchedule", schedules.Describe);
        dispatcher.Register<UpdateScheduleRequest>("UpdateSchedule", async (r, _) => await schedules.UpdateAsync(r));
        dispatcher.Register<PatchScheduleRequest>("PatchSchedule", async (r, _) => await schedules.PatchAsync(r));
        dispatcher.Register<DeleteScheduleRequest>("DeleteSchedule", async (r, _) => await schedules.DeleteAsync(r));
        dispatcher.Register<ListSchedulesRequest>("ListSchedules", schedules.List);
        dispatcher.Register<ListScheduleMatchingTimesRequest>("ListScheduleMatchingTimes", schedules.MatchingTimes);
    }
}
