using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Payments.Activities.Reconciliation;
using Payments.Workflows;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace Payments.Workers;

/// <summary>
/// Makes sure the nightly <c>ledger-reconciliation</c> schedule exists (<c>Payments:Reconciliation:Cron</c>, default
/// 02:00 UTC): created at worker start, left as it is when it already exists, retried while Temporal is unreachable.
/// The same code creates it on the real Temporal (docker-compose) and on the embedded dev server.
/// </summary>
public sealed class ReconciliationSchedule(ITemporalClient client, IOptions<ReconciliationOptions> options, ILogger<ReconciliationSchedule> logger) : BackgroundService
{
    public const string ScheduleId = LedgerReconciliationWorkflow.ScheduleId;

    public static Schedule Definition(string cron) => new(
        ScheduleActionStartWorkflow.Create((LedgerReconciliationWorkflow wf) => wf.RunAsync(), new(id: ScheduleId, taskQueue: PaymentsTemporal.TaskQueue)),
        new ScheduleSpec { CronExpressions = [cron] })
    {
        // A run still going when the next is due makes the next one pointless.
        Policy = new SchedulePolicy { Overlap = ScheduleOverlapPolicy.Skip },
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cron = options.Value.Cron;
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await client.CreateScheduleAsync(ScheduleId, Definition(cron), new ScheduleOptions { Rpc = new RpcOptions { CancellationToken = stoppingToken } });
                logger.LogInformation("Created the {ScheduleId} schedule ({Cron})", ScheduleId, cron);
                return;
            }
            catch (ScheduleAlreadyRunningException)
            {
                logger.LogInformation("The {ScheduleId} schedule exists", ScheduleId);
                return;
            }
            catch (Exception e) when (e is RpcException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Creating the {ScheduleId} schedule failed; retrying in {Delay}", ScheduleId, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }
}
