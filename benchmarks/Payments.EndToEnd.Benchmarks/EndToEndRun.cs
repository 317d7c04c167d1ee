using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Payments.Activities.Orders;
using Payments.Domain;
using Payments.Harness;
using Spectre.Console;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace Payments.EndToEnd.Benchmarks;

public sealed record RunSettings(int Payments, int OpenLoopPayments, int Concurrency, bool Json, string CommandLine);

/// <summary>One run: the platform started from scratch, a warm-up, the burst, the open-loop phase, the baseline, the report.</summary>
internal static class EndToEndRun
{
    private const int Shops = 20;
    private const long Amount = 10_000;
    private const int WarmUp = 40;
    private const int HistorySample = 20;
    private const int SlowestShown = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        var console = settings.Json ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 140; // a log file or a README gets the table unwrapped
        }
        var folder = Path.Combine(Path.GetTempPath(), $"payments-e2e-{Guid.NewGuid():N}");
        var loadAtStart = Measures.LoadAverage();
        Report? report = null;
        try
        {
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress => report = await MeasureAsync(settings, folder, progress, cancellationToken));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        report = report! with { LoadAtStart = loadAtStart, LoadAtEnd = Measures.LoadAverage() };
        if (settings.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, Indented));
        }
        else
        {
            report.Print(console);
        }
        return 0;
    }

    private static async Task<Report> MeasureAsync(RunSettings settings, string folder, ProgressContext progress, CancellationToken cancellationToken)
    {
        var starting = progress.AddTask("Start PostgreSQL, devserver, API, worker", maxValue: 1);
        await using var merchant = await LoopbackMerchant.StartAsync();
        await using var platform = await DistributedPlatform.StartAsync(folder, new Dictionary<string, string>(), cancellationToken);
        await using var database = await platform.OpenDatabaseAsync();
        using var client = new PlatformClient(platform.ApiAddress, settings.Concurrency);
        var shops = new List<(string MerchantId, string ApiKey, string UserId)>();
        for (var i = 0; i < Shops; i++)
        {
            var created = await client.CreateMerchantAsync($"m{i}", cancellationToken);
            await client.CreateUserAsync($"u{i}", cancellationToken);
            shops.Add((created.MerchantId, created.ApiKey, $"u{i}"));
        }
        starting.Increment(1);

        var warmUp = progress.AddTask("Warm-up", maxValue: WarmUp);
        var warmIds = await CreateAsync(client, shops, merchant, "w", WarmUp, settings.Concurrency, () => { }, cancellationToken);
        await CallbacksAsync(client, warmIds, settings.Concurrency, new DateTimeOffset[WarmUp], () => { }, cancellationToken);
        await Completions.AwaitAsync(warmIds, merchant, database, received => warmUp.Value = received, Patience, cancellationToken);

        var processes = new Dictionary<string, Func<int>>
        {
            ["API"] = () => platform.Api.Id,
            ["worker"] = () => platform.Worker.Id,
            ["devserver"] = () => platform.DevServer.Id,
            ["PostgreSQL"] = () => platform.PostgresPid,
        };
        var cpuBefore = processes.ToDictionary(p => p.Key, p => Figures(p.Key, p.Value()).CpuSeconds);
        var transactionsBefore = await Measures.TransactionsAsync(database, cancellationToken);

        // Burst: N creations, then N callbacks, each at the fixed concurrency; completed when PAID, posted and notified.
        var creating = progress.AddTask($"Burst: create {settings.Payments} payments", maxValue: settings.Payments);
        var creationClock = Stopwatch.StartNew();
        var creationLatencies = new List<TimeSpan>();
        var burstIds = await CreateAsync(client, shops, merchant, "b", settings.Payments, settings.Concurrency, () => creating.Increment(1), cancellationToken, creationLatencies);
        var creationSeconds = creationClock.Elapsed.TotalSeconds;
        var cpuCreated = processes.ToDictionary(process => process.Key, process => Figures(process.Key, process.Value()).CpuSeconds);
        var paying = progress.AddTask($"Burst: {settings.Payments} signed callbacks", maxValue: settings.Payments);
        var completing = progress.AddTask("Burst: completed (PAID, voucher, merchant notified)", maxValue: settings.Payments);
        var burstSent = new DateTimeOffset[settings.Payments];
        var callbackClock = Stopwatch.StartNew();
        var awaiting = Completions.AwaitAsync(burstIds, merchant, database, received => completing.Value = received, Patience, cancellationToken);
        await CallbacksAsync(client, burstIds, settings.Concurrency, burstSent, () => paying.Increment(1), cancellationToken);
        var callbackSeconds = callbackClock.Elapsed.TotalSeconds;
        var burst = await awaiting;
        var completedPerSecond = settings.Payments / (burst.Max(c => c.CompletedAt) - burstSent.Min()).TotalSeconds;
        var transactionsAfter = await Measures.TransactionsAsync(database, cancellationToken);
        var cpuPerPayment = processes.ToDictionary(p => p.Key, p => (Figures(p.Key, p.Value()).CpuSeconds - cpuBefore[p.Key]) / settings.Payments * 1000);

        // Open loop: callbacks arrive at 25 % of the burst's completed rate, whatever the platform's progress.
        var rate = completedPerSecond / 4;
        var preparing = progress.AddTask($"Open loop: create {settings.OpenLoopPayments} payments", maxValue: settings.OpenLoopPayments);
        var openIds = await CreateAsync(client, shops, merchant, "o", settings.OpenLoopPayments, settings.Concurrency, () => preparing.Increment(1), cancellationToken);
        var arriving = progress.AddTask($"Open loop: callbacks at {rate:0.0}/s", maxValue: settings.OpenLoopPayments);
        var openSent = new DateTimeOffset[openIds.Count];
        var openAnswered = new DateTimeOffset[openIds.Count];
        var sessionsBefore = await Measures.SessionsAsync(database, cancellationToken);
        var openAwaiting = Completions.AwaitAsync(openIds, merchant, database, _ => { }, Patience, cancellationToken);
        await Measures.OpenLoopAsync(openIds, rate, async (paymentId, index) =>
        {
            openSent[index] = DateTimeOffset.UtcNow;
            await client.SendCallbackAsync(paymentId, $"B-{paymentId}", Amount, cancellationToken: cancellationToken);
            openAnswered[index] = DateTimeOffset.UtcNow;
        }, () => arriving.Increment(1), cancellationToken);
        var openLoop = await openAwaiting;
        // The benchmark's own connection is pooled and stays open, so every new session is the API's or the worker's.
        var sessionsOpened = await Measures.SessionsAsync(database, cancellationToken) - sessionsBefore;
        var phases = await Completions.TccPhasesAsync(openIds, database, cancellationToken);
        var openAnsweredAt = openIds.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => openAnswered[p.index]);
        var openSentAt = openIds.Select((id, index) => (id, index)).ToDictionary(pair => pair.id, pair => openSent[pair.index]);

        var tasks = await TasksPerPaymentAsync(platform.TemporalAddress, burstIds.Take(HistorySample));
        var figures = processes.ToDictionary(p => p.Key, p => Figures(p.Key, p.Value()));

        // Baseline: the same effects done directly by this process, same database, same merchants, same concurrency.
        var direct = progress.AddTask($"Baseline: {settings.Payments} payments done directly", maxValue: settings.Payments);
        await using var completion = new DirectCompletion(platform.ConnectionString);
        var baselineIds = new List<string>();
        for (var i = 0; i < settings.Payments; i++)
        {
            var shop = shops[i % shops.Count];
            var created = await completion.CreateOrderAsync(new NewPaymentOrder(shop.MerchantId, $"d{i}", shop.UserId, Amount, "CNY", merchant.NotifyUrl(MerchantBehaviour.Acknowledges), "load"));
            baselineIds.Add(created.Order!.PaymentId);
        }
        var baselineTransactionsBefore = await Measures.TransactionsAsync(database, cancellationToken);
        var baselineCpuBefore = Figures("PostgreSQL", platform.PostgresPid).CpuSeconds;
        var selfCpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var baselineStarted = new DateTimeOffset[settings.Payments];
        var baselineClock = Stopwatch.StartNew();
        await Measures.ClosedLoopAsync(baselineIds, settings.Concurrency, async (paymentId, index) =>
        {
            baselineStarted[index] = DateTimeOffset.UtcNow;
            await completion.CompleteAsync(paymentId, $"B-{paymentId}", Amount);
        }, () => direct.Increment(1), cancellationToken);
        var baselineSeconds = baselineClock.Elapsed.TotalSeconds;
        var selfCpu = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - selfCpuBefore;
        var baselinePostgresCpu = Figures("PostgreSQL", platform.PostgresPid).CpuSeconds - baselineCpuBefore;
        var baseline = await Completions.AwaitAsync(baselineIds, merchant, database, _ => { }, Patience, cancellationToken);
        var baselineTransactions = await Measures.TransactionsAsync(database, cancellationToken) - baselineTransactionsBefore;

        return new Report(
            settings.CommandLine,
            $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            "", "",
            settings.Payments, settings.OpenLoopPayments, settings.Concurrency,
            settings.Payments / creationSeconds,
            Latencies.Of(creationLatencies).P99,
            settings.Payments / callbackSeconds,
            completedPerSecond,
            Latencies.Of(Since(burstIds, burstSent, burst, c => c.PaidAt)),
            Latencies.Of(Since(burstIds, burstSent, burst, c => c.ReceivedAt)),
            rate,
            Latencies.Of(Since(openIds, openSent, openLoop, c => c.PaidAt)),
            Latencies.Of(Since(openIds, openSent, openLoop, c => c.ReceivedAt)),
            Latencies.Of(openIds.Select((_, index) => openAnswered[index] - openSent[index])),
            Latencies.Of(openLoop.Select(c => c.ProcessingAt - openAnsweredAt[c.PaymentId])),
            Latencies.Of(openLoop.Select(c => c.PaidAt - c.ProcessingAt)),
            Latencies.Of(openLoop.Select(completion => phases[completion.PaymentId].TriesAt - completion.ProcessingAt)),
            Latencies.Of(openLoop.Select(completion => phases[completion.PaymentId].ConfirmsAt - phases[completion.PaymentId].TriesAt)),
            Latencies.Of(openLoop.Select(completion => completion.PaidAt - phases[completion.PaymentId].ConfirmsAt)),
            sessionsOpened,
            openLoop.OrderByDescending(completion => completion.PaidAt - openSentAt[completion.PaymentId]).Take(SlowestShown).Select(completion => new SlowPayment(
                (completion.PaidAt - openSentAt[completion.PaymentId]).TotalMilliseconds,
                (openAnsweredAt[completion.PaymentId] - openSentAt[completion.PaymentId]).TotalMilliseconds,
                (completion.ProcessingAt - openAnsweredAt[completion.PaymentId]).TotalMilliseconds,
                (phases[completion.PaymentId].TriesAt - completion.ProcessingAt).TotalMilliseconds,
                (phases[completion.PaymentId].ConfirmsAt - phases[completion.PaymentId].TriesAt).TotalMilliseconds,
                (completion.PaidAt - phases[completion.PaymentId].ConfirmsAt).TotalMilliseconds)).ToList(),
            figures.Select(f => new ProcessRow(
                f.Key, cpuPerPayment[f.Key], (cpuCreated[f.Key] - cpuBefore[f.Key]) / settings.Payments * 1000, f.Value.CpuSeconds, f.Value.PeakRssBytes / 1048576.0)).ToList(),
            (transactionsAfter - transactionsBefore) / (double)settings.Payments,
            tasks.WorkflowTasks,
            tasks.ActivityTasks,
            settings.Payments / baselineSeconds,
            Latencies.Of(Since(baselineIds, baselineStarted, baseline, c => c.PaidAt)),
            Latencies.Of(Since(baselineIds, baselineStarted, baseline, c => c.ReceivedAt)),
            selfCpu / settings.Payments * 1000,
            baselinePostgresCpu / settings.Payments * 1000,
            baselineTransactions / (double)settings.Payments);
    }

    private static ProcessFigures Figures(string name, int pid) => name == "PostgreSQL" ? ProcessFigures.OfTree(pid) : ProcessFigures.Of(pid);

    /// <summary>Each completion's latency from when its callback was sent (or, in the baseline, its work began).</summary>
    private static IEnumerable<TimeSpan> Since(IReadOnlyList<string> ids, DateTimeOffset[] sent, IEnumerable<Completion> completions, Func<Completion, DateTimeOffset> at)
    {
        var sentAt = ids.Select((id, index) => (id, index)).ToDictionary(p => p.id, p => sent[p.index]);
        return completions.Select(c => at(c) - sentAt[c.PaymentId]);
    }

    private static async Task<IReadOnlyList<string>> CreateAsync(
        PlatformClient client, List<(string MerchantId, string ApiKey, string UserId)> shops, LoopbackMerchant merchant, string prefix, int count, int concurrency,
        Action onDone, CancellationToken cancellationToken, List<TimeSpan>? latencies = null)
    {
        var ids = new string[count];
        var durations = await Measures.ClosedLoopAsync(Enumerable.Range(0, count).ToList(), concurrency, async (n, index) =>
        {
            var shop = shops[n % shops.Count];
            ids[index] = await client.CreatePaymentAsync(shop.ApiKey, $"{prefix}{n}", shop.UserId, Amount, merchant.NotifyUrl(MerchantBehaviour.Acknowledges), cancellationToken);
        }, onDone, cancellationToken);
        latencies?.AddRange(durations);
        return ids;
    }

    private static Task CallbacksAsync(PlatformClient client, IReadOnlyList<string> ids, int concurrency, DateTimeOffset[] sent, Action onDone, CancellationToken cancellationToken) =>
        Measures.ClosedLoopAsync(ids, concurrency, async (paymentId, index) =>
        {
            sent[index] = DateTimeOffset.UtcNow;
            await client.SendCallbackAsync(paymentId, $"B-{paymentId}", Amount, cancellationToken: cancellationToken);
        }, onDone, cancellationToken);

    /// <summary>
    /// Workflow and activity tasks per payment, counted in the histories of a sample (the completion, and the notification
    /// workflow when the completion's first attempt did not deliver and started one).
    /// </summary>
    private static async Task<(double WorkflowTasks, double ActivityTasks)> TasksPerPaymentAsync(string temporalAddress, IEnumerable<string> paymentIds)
    {
        var temporal = await TemporalClient.ConnectAsync(new TemporalClientConnectOptions(temporalAddress));
        var (workflowTasks, activityTasks, payments) = (0, 0, 0);
        foreach (var paymentId in paymentIds)
        {
            payments++;
            foreach (var workflowId in new[] { Identifiers.CompletionWorkflowId(paymentId), Identifiers.NotificationWorkflowId(paymentId) })
            {
                WorkflowHistory history;
                try
                {
                    history = await temporal.GetWorkflowHandle(workflowId).FetchHistoryAsync();
                }
                catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
                {
                    continue;
                }
                workflowTasks += history.Events.Count(e => e.EventType == EventType.WorkflowTaskStarted);
                activityTasks += history.Events.Count(e => e.EventType == EventType.ActivityTaskStarted);
            }
        }
        return (workflowTasks / (double)payments, activityTasks / (double)payments);
    }
}
