namespace Payments.DevServer.Http;

/// <summary>
/// What GET /api/v1/settings answers, in the Temporal UI server's shape (PascalCase keys): no auth, no codec, the
/// workflow actions (start, signal, update, cancel, terminate, reset) on, batch operations and activity commands
/// (pause, unpause, reset an activity), which this server does not implement, off. The UI reads its version here and gates features on it
/// (2.38.0 decides the shape of its signal requests).
/// </summary>
public sealed record TemporalUiSettings
{
    public TemporalUiSettings(string defaultNamespace = "default") => DefaultNamespace = defaultNamespace;

    public UiAuth Auth { get; init; } = new();

    public string BannerText { get; init; } = string.Empty;

    public string DefaultNamespace { get; init; }

    public bool ShowTemporalSystemNamespace { get; init; }

    public string FeedbackURL { get; init; } = string.Empty;

    public bool NotifyOnNewVersion { get; init; }

    public UiCodec Codec { get; init; } = new();

    public string Version { get; init; } = "2.38.0";

    public bool DisableWriteActions { get; init; }

    public bool WorkflowTerminateDisabled { get; init; }

    public bool WorkflowCancelDisabled { get; init; }

    public bool WorkflowSignalDisabled { get; init; }

    public bool WorkflowUpdateDisabled { get; init; }

    public bool WorkflowResetDisabled { get; init; }

    public bool BatchActionsDisabled { get; init; } = true;

    public bool StartWorkflowDisabled { get; init; }

    public bool HideWorkflowQueryErrors { get; init; }

    public bool RefreshWorkflowCountsDisabled { get; init; }

    public bool ActivityCommandsDisabled { get; init; } = true;

    public sealed record UiAuth
    {
        public bool Enabled { get; init; }

        public IReadOnlyList<string> Options { get; init; } = [];
    }

    public sealed record UiCodec
    {
        public string Endpoint { get; init; } = string.Empty;

        public bool PassAccessToken { get; init; }

        public bool IncludeCredentials { get; init; }
    }
}
