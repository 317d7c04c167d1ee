using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Failure.V1;
using Payments.DevServer.Engine;
using Temporalio.Api.Schedule.V1;

namespace Payments.DevServer.Schedules;

/// <summary>An action waiting for its turn (a time of the spec, a trigger or a backfill) with the overlap policy it runs under.</summary>
internal sealed record BufferedStart(DateTime Nominal, DateTime Actual, ScheduleOverlapPolicy Overlap, bool Manual);

/// <summary>
/// One schedule: what it is (spec, action, policies, state as the client gave them, spec canonical) and what it did
/// (Temporal's ScheduleInfo), plus what the next action needs: the time processed so far, the buffer, and the last
/// completion result and failure handed to the next workflow.
/// </summary>
internal sealed class ScheduleRecord(string ns, string scheduleId)
{
    /// <summary>Temporal's defaults: a year of catch-up, and never less than 10 s.</summary>
    public static readonly TimeSpan DefaultCatchupWindow = TimeSpan.FromDays(365);
    public static readonly TimeSpan MinimumCatchupWindow = TimeSpan.FromSeconds(10);

    /// <summary>How many recent actions describe and list keep, as Temporal does.</summary>
    public const int RecentActionCount = 10;

    public string Namespace { get; } = ns;

    public string ScheduleId { get; } = scheduleId;

    public Schedule Schedule { get; set; } = new();

    public ScheduleInfo Info { get; set; } = new();

    public Memo? Memo { get; set; }

    public SearchAttributes? SearchAttributes { get; set; }

    /// <summary>Changes on every update, so an update based on an older describe is refused.</summary>
    public long ConflictToken { get; set; }

    /// <summary>Spec times up to here were considered (acted on, skipped or missed).</summary>
    public DateTime ProcessedUntil { get; set; }

    public List<BufferedStart> Buffer { get; } = [];

    public Payloads? LastCompletionResult { get; set; }

    public Failure? LastFailure { get; set; }

    public CompiledSpec Spec { get; set; } = null!;

    /// <summary>The clock timer of the next spec time (not stored: re-armed on restore).</summary>
    public Engine.ScheduledTimer? Wakeup { get; set; }

    public ScheduleOverlapPolicy OverlapPolicy =>
        Schedule.Policies?.OverlapPolicy is { } policy and not ScheduleOverlapPolicy.Unspecified ? policy : ScheduleOverlapPolicy.Skip;

    public TimeSpan CatchupWindow
    {
        get
        {
            var window = Schedule.Policies?.CatchupWindow.ToTimeSpanOrZero() ?? TimeSpan.Zero;
            return window <= TimeSpan.Zero ? DefaultCatchupWindow : window < MinimumCatchupWindow ? MinimumCatchupWindow : window;
        }
    }

    public bool IsPaused => Schedule.State?.Paused ?? false;

    /// <summary>A schedule with limited actions stops acting once they are used up.</summary>
    public bool HasActionsLeft => Schedule.State is not { LimitedActions: true, RemainingActions: <= 0 };
}
