namespace Payments.DevServer.Hosting;

/// <summary>The Temporal features this server leaves out on purpose, recognised by their methods' names, so a call says which feature it needs.</summary>
internal static class OutOfScopeFeatures
{
    private static readonly (string NamePart, string Feature)[] Features =
    [
        ("Nexus", "Nexus (endpoints, operations and Nexus task queues)"),
        ("Deployment", "Worker deployments"),
        ("VersioningRules", "Worker versioning rules"),
        ("BuildIdCompatibility", "Worker versioning (build-id compatibility)"),
        ("TaskReachability", "Worker versioning (task reachability)"),
    ];

    /// <summary>Temporal's Unimplemented answer for a method of a left-out feature; null for any other method.</summary>
    public static string? Describe(string method) =>
        Features.FirstOrDefault(feature => method.Contains(feature.NamePart, StringComparison.Ordinal)) is { Feature: { } feature }
            ? $"{feature} is not supported by the Payments devserver (method {method}); run against Temporal's own server to use it."
            : null;
}
