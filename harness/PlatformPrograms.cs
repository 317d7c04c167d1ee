namespace Payments.Harness;

/// <summary>
/// Where the platform's programs were built: each in its own project's output (same configuration as this program),
/// so each runs as deployed, with its own dependencies and appsettings.json.
/// </summary>
public static class PlatformPrograms
{
    public static string Api => Find("api", "Payments.Api");

    public static string Worker => Find("workers", "Payments.Workers");

    public static string DevServer => Find("devserver", "Payments.DevServer");

    public static string Demo => Find(Path.Combine("demo", "Payments.Demo"), "Payments.Demo");

    private static string Find(string projectFolder, string program)
    {
        // This program runs from <repo>/<its folder>/bin/<configuration>/<framework>/.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        for (var folder = output; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Payments.sln")))
            {
                var path = Path.Combine(folder.FullName, projectFolder, "bin", configuration, framework, program);
                return File.Exists(path)
                    ? path
                    : throw new FileNotFoundException($"{program} is not built at {path}: build this program's project, which references it.", path);
            }
        }
        throw new DirectoryNotFoundException($"No Payments.sln above {AppContext.BaseDirectory}: run this program from the repository's build output.");
    }
}
