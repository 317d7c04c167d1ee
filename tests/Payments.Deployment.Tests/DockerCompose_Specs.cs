using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Payments.Deployment.Tests;

public sealed partial class DockerCompose_Specs
{
    private static readonly string Root = RepositoryRoot();
    private static readonly Dictionary<object, object> Services = LoadServices();

    [Fact]
    public void Compose_NamesTheWholePlatform()
    {
        Assert.Superset(
            new HashSet<string> { "postgresql", "temporal", "temporal-search-attributes", "temporal-ui", "worker", "api" },
            Services.Keys.Select(k => (string)k).ToHashSet());
    }

    [Fact]
    public void BuiltServices_HaveTheirDockerfileAndPublishedProject()
    {
        foreach (var (name, build) in BuiltServices())
        {
            var context = Path.GetFullPath(Path.Combine(Root, (string)build["context"]));
            var dockerfile = Path.Combine(context, (string)build["dockerfile"]);
            Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} is missing");
            foreach (Match published in PublishedProject().Matches(File.ReadAllText(dockerfile)))
            {
                Assert.True(File.Exists(Path.Combine(context, published.Groups[1].Value)), $"{name}: {published.Groups[1].Value} is missing");
            }
        }
    }

    [Fact]
    public void BuiltServices_SetOnlySettingsTheReadmeDocuments()
    {
        // The settings are bound from the keys of README.md's configuration table: a variable outside it is read by nobody.
        var documented = ReadmeSettingKeys();
        foreach (var (name, _) in BuiltServices())
        {
            var service = (Dictionary<object, object>)Services[name];
            foreach (var variable in ((Dictionary<object, object>)service["environment"]).Keys.Cast<string>())
            {
                if (variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_", StringComparison.Ordinal))
                {
                    continue;
                }
                var key = variable.Replace("__", ":", StringComparison.Ordinal);
                Assert.True(documented.Contains(key), $"{name} sets {variable}, but README.md's configuration table has no {key}");
            }
        }
    }

    [Fact]
    public void SearchAttributeInit_RegistersWhatTheWorkflowsUse()
    {
        var init = (Dictionary<object, object>)Services["temporal-search-attributes"];
        var command = string.Join(' ', ((List<object>)init["command"]).Cast<string>());
        Assert.Contains("--name MerchantId --type Keyword", command, StringComparison.Ordinal);
        Assert.Contains("--name PaymentStatus --type Keyword", command, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, Dictionary<object, object> Build)> BuiltServices() =>
        Services.Where(s => ((Dictionary<object, object>)s.Value).ContainsKey("build"))
            .Select(s => ((string)s.Key, (Dictionary<object, object>)((Dictionary<object, object>)s.Value)["build"]));

    private static HashSet<string> ReadmeSettingKeys()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        var table = readme[readme.IndexOf("## Configuration", StringComparison.Ordinal)..];
        return [.. SettingRow().Matches(table).Select(row => row.Groups[1].Value)];
    }

    private static Dictionary<object, object> LoadServices()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, "docker-compose.yml")));
        // The merging parser resolves the `<<: *anchor` keys the file uses for shared environment.
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return (Dictionary<object, object>)compose["services"];
    }

    private static string RepositoryRoot()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Payments.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("Payments.sln not found above the test folder.");
        }
        return folder;
    }

    [GeneratedRegex(@"^\| `([A-Za-z]+(?::[A-Za-z]+)+)`", RegexOptions.Multiline)]
    private static partial Regex SettingRow();

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishedProject();
}
