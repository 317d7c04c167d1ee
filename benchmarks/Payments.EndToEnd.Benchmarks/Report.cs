using Spectre.Console;

namespace Payments.EndToEnd.Benchmarks;

/// <summary>
/// CPU per completed payment (ms, over the burst: its creations included, and of them alone), over the whole orchestrated
/// run (s), and the peak resident set.
/// </summary>
public sealed record ProcessRow(string Process, double CpuMsPerPayment, double CreationCpuMsPerPayment, double CpuSeconds, double PeakRssMiB);

/// <summary>One slow open-loop payment: callback → PAID and its segments (ms), to see where a tail goes.</summary>
public sealed record SlowPayment(double CallbackToPaid, double Answered, double ToProcessing, double ToTries, double ToConfirms, double ToPaid)
{
    public override string ToString() => $"{CallbackToPaid:0} = {Answered:0} + {ToProcessing:0} + {ToTries:0} + {ToConfirms:0} + {ToPaid:0}";
}

/// <summary>Everything one run measured; printed as a table or serialised with <c>--json</c>.</summary>
public sealed record Report(
    string Command,
    string Machine,
    string LoadAtStart,
    string LoadAtEnd,
    int Payments,
    int OpenLoopPayments,
    int Concurrency,
    double CreationsPerSecond,
    double CreationP99Ms,
    double CallbacksAcceptedPerSecond,
    double CompletedPerSecond,
    Latencies BurstCallbackToPaidMs,
    Latencies BurstCallbackToReceiptMs,
    double OpenLoopArrivalsPerSecond,
    Latencies OpenLoopCallbackToPaidMs,
    Latencies OpenLoopCallbackToReceiptMs,
    Latencies OpenLoopCallbackAnsweredMs,
    Latencies OpenLoopAnsweredToProcessingMs,
    Latencies OpenLoopProcessingToPaidMs,
    Latencies OpenLoopProcessingToTriesMs,
    Latencies OpenLoopTriesToConfirmsMs,
    Latencies OpenLoopConfirmsToPaidMs,
    long OpenLoopBackendsOpened,
    IReadOnlyList<SlowPayment> OpenLoopSlowest,
    IReadOnlyList<ProcessRow> Processes,
    double DatabaseTransactionsPerPayment,
    double WorkflowTasksPerPayment,
    double ActivityTasksPerPayment,
    double BaselineCompletedPerSecond,
    Latencies BaselineStartToPaidMs,
    Latencies BaselineStartToReceiptMs,
    double BaselineCpuMsPerPayment,
    double BaselinePostgresCpuMsPerPayment,
    double BaselineDatabaseTransactionsPerPayment)
{
    public double CompletedRatio => CompletedPerSecond / BaselineCompletedPerSecond;

    public void Print(IAnsiConsole console)
    {
        console.WriteLine($"Command: {Command}");
        console.WriteLine($"Machine: {Machine}; on our devserver (durable, SQLite), not on Temporal");
        console.WriteLine($"Load average (1, 5, 15 min) at the start: {LoadAtStart}; at the end: {LoadAtEnd}");
        var figures = new Table().AddColumn("Figure").AddColumn(new TableColumn("Orchestrated").RightAligned()).AddColumn(new TableColumn("Baseline (direct)").RightAligned());
        figures.AddRow($"Creations / s ({Payments}, {Concurrency} in flight)", $"{CreationsPerSecond:0}", "");
        figures.AddRow("201 p99 (ms)", $"{CreationP99Ms:0}", "");
        figures.AddRow($"Callbacks accepted / s ({Concurrency} in flight)", $"{CallbacksAcceptedPerSecond:0}", "");
        figures.AddRow("Payments completed / s (PAID, voucher, merchant notified)", $"{CompletedPerSecond:0.0}", $"{BaselineCompletedPerSecond:0.0}");
        figures.AddRow("Completed / s: orchestrated ÷ baseline", $"{CompletedRatio:0.00}", "");
        figures.AddRow("Burst: callback → PAID p50 / p95 / p99 (ms)", $"{BurstCallbackToPaidMs}", $"{BaselineStartToPaidMs}");
        figures.AddRow("Burst: callback → merchant receipt p50 / p95 / p99 (ms)", $"{BurstCallbackToReceiptMs}", $"{BaselineStartToReceiptMs}");
        figures.AddRow($"Open loop at {OpenLoopArrivalsPerSecond:0.0}/s ({OpenLoopPayments}): callback → PAID p50 / p95 / p99 (ms)", $"{OpenLoopCallbackToPaidMs}", "");
        figures.AddRow("Open loop: callback → merchant receipt p50 / p95 / p99 (ms)", $"{OpenLoopCallbackToReceiptMs}", "");
        // Where the open loop's callback → PAID goes: the API's answer (the signal accepted), the worker's first step, the rest.
        figures.AddRow("Open loop: callback → answered 200 (signal accepted) p50 / p95 / p99 (ms)", $"{OpenLoopCallbackAnsweredMs}", "");
        figures.AddRow("Open loop: answered → PROCESSING (first step) p50 / p95 / p99 (ms)", $"{OpenLoopAnsweredToProcessingMs}", "");
        figures.AddRow("Open loop: PROCESSING → PAID p50 / p95 / p99 (ms)", $"{OpenLoopProcessingToPaidMs}", "");
        // The local steps after PROCESSING, from the barrier rows' transaction start: each a result, an activation, a statement.
        figures.AddRow("Open loop: PROCESSING → tries begun p50 / p95 / p99 (ms)", $"{OpenLoopProcessingToTriesMs}", "");
        figures.AddRow("Open loop: tries begun → confirms begun p50 / p95 / p99 (ms)", $"{OpenLoopTriesToConfirmsMs}", "");
        figures.AddRow("Open loop: confirms begun → PAID p50 / p95 / p99 (ms)", $"{OpenLoopConfirmsToPaidMs}", "");
        figures.AddRow("Open loop, slowest: callback → PAID = answered + PROCESSING + tries + confirms + PAID (ms)", string.Join("; ", OpenLoopSlowest), "");
        figures.AddRow("Open loop: PostgreSQL backends opened (API and worker pools)", $"{OpenLoopBackendsOpened}", "");
        figures.AddRow("Database transactions per payment", $"{DatabaseTransactionsPerPayment:0.0}", $"{BaselineDatabaseTransactionsPerPayment:0.0}");
        figures.AddRow("Workflow tasks / activity tasks per payment", $"{WorkflowTasksPerPayment:0.0} / {ActivityTasksPerPayment:0.0}", "");
        figures.AddRow("CPU per payment: PostgreSQL (ms)", $"{Processes.Single(p => p.Process == "PostgreSQL").CpuMsPerPayment:0.0}", $"{BaselinePostgresCpuMsPerPayment:0.0}");
        figures.AddRow("CPU per payment: platform processes / the baseline's one process (ms)",
            $"{Processes.Where(p => p.Process != "PostgreSQL").Sum(p => p.CpuMsPerPayment):0.0}", $"{BaselineCpuMsPerPayment:0.0}");
        console.Write(figures);

        var processes = new Table().AddColumn("Process").AddColumn(new TableColumn("CPU ms / payment (burst)").RightAligned())
            .AddColumn(new TableColumn("of which its creation").RightAligned())
            .AddColumn(new TableColumn("CPU s (whole run)").RightAligned()).AddColumn(new TableColumn("Peak RSS (MiB)").RightAligned());
        foreach (var row in Processes)
        {
            processes.AddRow(row.Process, $"{row.CpuMsPerPayment:0.0}", $"{row.CreationCpuMsPerPayment:0.0}", $"{row.CpuSeconds:0.0}", $"{row.PeakRssMiB:0}");
        }
        console.Write(processes);
    }
}
