using Temporalio.Api.Enums.V1;

namespace Payments.DevServer;

/// <summary>How to run the server: address, namespace, storage and clock.</summary>
public sealed class TemporalDevServerOptions
{
    /// <summary>The frontend's port as <c>temporal server start-dev</c> has it.</summary>
    public const int DefaultPort = 7233;

    /// <summary>The Web UI's port as <c>temporal server start-dev</c> has it.</summary>
    public const int DefaultUiPort = 8233;

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; set; } = DefaultPort;

    public string Ip { get; set; } = "127.0.0.1";

    /// <summary>Namespace created at start, besides "default".</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>SQLite file holding the state (durable dev mode); null keeps everything in memory.</summary>
    public string? DatabaseFile { get; set; }

    /// <summary>
    /// HTTP/1.1 port serving the Temporal Web UI and the HTTP/JSON API it calls (same origin); null serves neither,
    /// 0 picks a free one.
    /// </summary>
    public int? UiPort { get; set; }

    /// <summary>The built UI (<c>ui/</c>, copied next to this assembly by the build); without it the port serves the API alone.</summary>
    public string UiFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "temporal-ui");

    /// <summary>Temporal test-server semantics: virtual time skips ahead while nothing is in flight.</summary>
    public bool TimeSkipping { get; set; }

    /// <summary>
    /// Temporal dynamic config values (key → value as written after <c>=</c>), as <c>--dynamic-config-value KEY=VALUE</c>:
    /// the history, blob and memo limits act (see devserver/README.md); other keys are logged as not acted on.
    /// </summary>
    public IDictionary<string, string> DynamicConfigValues { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Custom search attributes registered at start (name → type), as <c>--search-attribute Name=Type</c>.</summary>
    public IDictionary<string, IndexedValueType> SearchAttributes { get; } = new Dictionary<string, IndexedValueType>(StringComparer.Ordinal);
}
