namespace Payments.Workers;

/// <summary>Configuration section <c>Temporal</c>: where this process finds Temporal and how much one worker takes on.</summary>
public sealed class TemporalSettings
{
    public const string Section = "Temporal";

    public string Address { get; set; } = "";

    public string Namespace { get; set; } = "default";

    public int MaxConcurrentActivities { get; set; } = 100;

    public int MaxConcurrentWorkflowTasks { get; set; } = 100;

    /// <summary>On shutdown, running activities get this long to finish before they are cancelled.</summary>
    public TimeSpan GracefulShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
