using Temporalio.Api.Enums.V1;

namespace Payments.DevServer;

/// <summary>How to run the server: address, namespace, storage and clock.</summary>
public sealed class TemporalDevServerOptions
{
    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; set; } = 7233;

    public string Ip { get; set; } = "127.0.0.1";

    /// <summary>Namespace created at start, besides "default".</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>SQLite file holding the state (durable dev mode); null keeps everything in memory.</summary>
    public string? DatabaseFile { get; set; }

    /// <summary>Port for Temporal's HTTP/JSON API (what the Temporal UI calls; HTTP/1.1); null serves none, 0 picks a free one.</summary>
    public int? HttpPort { get; set; }

    /// <summary>Temporal test-server semantics: virtual time skips ahead while nothing is in flight.</summary>
    public bool TimeSkipping { get; set; }

    /// <summary>Custom search attributes registered at start (name → type), as <c>--search-attribute Name=Type</c>.</summary>
    public IDictionary<string, IndexedValueType> SearchAttributes { get; } = new Dictionary<string, IndexedValueType>(StringComparer.Ordinal);
}
