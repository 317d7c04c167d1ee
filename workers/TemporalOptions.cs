namespace Payments.Workers;

/// <summary>Configuration section <c>Temporal</c>: where this process finds Temporal and how much one worker takes on.</summary>
public sealed class TemporalOptions
{
    public const string Section = "Temporal";
    public const string AddressKey = "Temporal:Address";

    /// <summary>The standalone worker's address in Development when none is configured: the run command's embedded Temporal.</summary>
    public const string DevelopmentAddress = "127.0.0.1:7233";

    /// <summary>The frontend (<c>host:port</c>); supplied by the API's embedded mode when not configured in Development.</summary>
    public string? Address { get; set; }

    public string Namespace { get; set; } = "default";

    public int MaxConcurrentActivities { get; set; } = 100;

    /// <summary>
    /// 10, not the SDK's 100: a workflow task runs a round's local steps, and 100 of them sharing 2 cores outlive the 10 s
    /// workflow task timeout and run again (benchmarks/README.md, "The worker's profile"), where 10 complete as many payments.
    /// </summary>
    public int MaxConcurrentWorkflowTasks { get; set; } = 10;

    /// <summary>On shutdown, running activities get this long to finish before they are cancelled.</summary>
    public TimeSpan GracefulShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
