using Payments.DevServer;

namespace Payments.Api.Embedded;

/// <summary><c>Embedded</c>: where the run command's embedded mode keeps its state and which ports its Temporal takes.</summary>
internal sealed class EmbeddedOptions
{
    public const string Section = "Embedded";
    public const string TemporalPortKey = "Embedded:TemporalPort";
    public const string UiPortKey = "Embedded:UiPort";

    public string DataFolder { get; set; } = ".data";

    /// <summary>The embedded Temporal frontend; 0 takes any free port.</summary>
    public int TemporalPort { get; set; } = TemporalDevServerOptions.DefaultPort;

    /// <summary>The embedded server's Temporal UI and HTTP API; 0 takes any free port.</summary>
    public int UiPort { get; set; } = TemporalDevServerOptions.DefaultUiPort;

    public string FullDataFolder => Path.GetFullPath(DataFolder);
}
