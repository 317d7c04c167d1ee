using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Converters;
using Temporalio.Exceptions;
using Temporalio.Testing;
using Temporalio.Worker;

namespace Payments.DevServer.Tests;

/// <summary>Workflows started with a cron schedule, and workflow retries after a run timeout, in virtual time.</summary>
[Collection(ScheduleGroup.Name)]
public class CronWorkflow_Specs(TimeSkippingEnvironmentFixture fixture)
{
    private WorkflowEnvironment Env => fixture.Environment;

    private ITemporalClient Client => Env.Client;

    [Fact]
    public async Task HourlyCron_ThreeHoursSkipped_FirstRunWaitsForTheHourAndEachRunGetsThePreviousResult()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<CountingWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var first = await Client.StartWorkflowAsync((CountingWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue) { CronSchedule = "0 * * * *" });
            try
            {
                var started = (await Client.GetWorkflowHandle(first.Id, first.FirstExecutionRunId).FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
                var backoff = started.FirstWorkflowTaskBackoff.ToTimeSpan();
                Assert.InRange(backoff, TimeSpan.FromTicks(1), TimeSpan.FromHours(1));

                await Env.DelayAsync(TimeSpan.FromHours(3));
                var firstClose = (await Client.GetWorkflowHandle(first.Id, first.FirstExecutionRunId).FetchHistoryAsync()).Events.Last();
                Assert.Equal(EventType.WorkflowExecutionCompleted, firstClose.EventType);
                Assert.NotEmpty(firstClose.WorkflowExecutionCompletedEventAttributes.NewExecutionRunId);

                var current = (await Client.GetWorkflowHandle(first.Id).FetchHistoryAsync()).Events.First().WorkflowExecutionStartedEventAttributes;
                Assert.Equal(ContinueAsNewInitiator.CronSchedule, current.Initiator);
                Assert.Equal(3, DataConverter.Default.PayloadConverter.ToValue<int>(current.LastCompletionResult.Payloads_.Single()));
            }
            finally
            {
                await Client.GetWorkflowHandle(first.Id).TerminateAsync("test over");
            }
        });
    }

    [Fact]
    public async Task RunTimeout_RetryPolicyOfTwoAttempts_RetriedOnceThenTimesOut()
    {
        var queue = TestQueues.Unique();
        using var worker = new TemporalWorker(Client, new TemporalWorkerOptions(queue).AddWorkflow<WaitForeverWorkflow>());
        await worker.ExecuteAsync(async () =>
        {
            var handle = await Client.StartWorkflowAsync((WaitForeverWorkflow wf) => wf.RunAsync(), new(Guid.NewGuid().ToString(), queue)
            {
                RunTimeout = TimeSpan.FromMinutes(1),
                RetryPolicy = new RetryPolicy { MaximumAttempts = 2, InitialInterval = TimeSpan.FromSeconds(1) },
            });
            var failure = await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync());
            Assert.IsType<TimeoutFailureException>(failure.InnerException);

            var firstClose = (await Client.GetWorkflowHandle(handle.Id, handle.FirstExecutionRunId).FetchHistoryAsync()).Events.Last().WorkflowExecutionTimedOutEventAttributes;
            Assert.Equal(RetryState.InProgress, firstClose.RetryState);
            var retry = (await Client.GetWorkflowHandle(handle.Id, firstClose.NewExecutionRunId).FetchHistoryAsync()).Events;
            Assert.Equal(2, retry.First().WorkflowExecutionStartedEventAttributes.Attempt);
            Assert.Equal(RetryState.MaximumAttemptsReached, retry.Last().WorkflowExecutionTimedOutEventAttributes.RetryState);
        });
    }
}
