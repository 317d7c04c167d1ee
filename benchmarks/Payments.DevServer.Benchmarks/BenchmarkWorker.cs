using Microsoft.Extensions.Logging;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.DevServer.Benchmarks;

/// <summary>A real TemporalWorker polling one task queue until disposed (graceful shutdown: in-flight tasks are answered first).</summary>
internal sealed class BenchmarkWorker : IAsyncDisposable
{
    private readonly TemporalWorker _worker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private BenchmarkWorker(ITemporalClient client, string taskQueue, ILoggerFactory loggerFactory)
    {
        _worker = new TemporalWorker(client, new TemporalWorkerOptions(taskQueue) { LoggerFactory = loggerFactory }
            .AddWorkflow<TrivialWorkflow>()
            .AddWorkflow<ThreeActivitiesWorkflow>()
            .AddWorkflow<IdleTimerWorkflow>()
            .AddAllActivities(new BenchmarkActivities()));
        _running = _worker.ExecuteAsync(_stop.Token);
    }

    public static BenchmarkWorker Start(ITemporalClient client, string taskQueue, ILoggerFactory loggerFactory) =>
        new(client, taskQueue, loggerFactory);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // The normal end of ExecuteAsync when its token is cancelled.
        }
        _worker.Dispose();
        _stop.Dispose();
    }
}
