namespace Payments.Activities;

/// <summary>The one wording of a missing setting, so every host names the key and its environment variable alike.</summary>
public static class RequiredSetting
{
    public static string Missing(string key) =>
        $"{key} must be configured outside Development (environment variable {key.Replace(":", "__", StringComparison.Ordinal)}).";
}
