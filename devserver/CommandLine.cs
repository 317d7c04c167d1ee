using Temporalio.Api.Enums.V1;

namespace Payments.DevServer;

/// <summary>
/// The three ways the server is launched: <c>&lt;port&gt;</c> (Temporal test-server style, time-skipping),
/// <c>server start-dev --port … --ip … --namespace … [--db-filename F] [--search-attribute Name=Type]… [--dynamic-config-value KEY=VALUE]… [--headless]</c>
/// (what <c>WorkflowEnvironment.StartLocalAsync</c> passes), and plain <c>[--port] [--ip] [--namespace] [--db-filename]
/// [--ui-port] [--headless]</c>. Both serve the Web UI on 8233 unless <c>--headless</c>, as <c>temporal server start-dev</c>.
/// Flags this server does not need are ignored, never fatal.
/// </summary>
public static class CommandLine
{
    public static TemporalDevServerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TemporalDevServerOptions();
        if (args.Count == 1 && int.TryParse(args[0], out var testServerPort))
        {
            options.Port = testServerPort;
            options.TimeSkipping = true;
            return options;
        }
        options.UiPort = TemporalDevServerOptions.DefaultUiPort;
        var headless = false;
        var start = args.Count >= 2 && args[0] == "server" && args[1] == "start-dev" ? 2 : 0;
        for (var i = start; i < args.Count; i++)
        {
            var (flag, inlineValue) = SplitFlag(args[i]);
            string Value() => inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{flag} needs a value"));
            switch (flag)
            {
                case "--port" or "-p":
                    options.Port = int.Parse(Value());
                    break;
                case "--ip":
                    options.Ip = Value();
                    break;
                case "--namespace" or "-n":
                    options.Namespace = Value();
                    break;
                case "--db-filename" or "-f":
                    options.DatabaseFile = Value();
                    break;
                case "--ui-port":
                    options.UiPort = int.Parse(Value());
                    break;
                case "--time-skipping":
                    options.TimeSkipping = true;
                    break;
                case "--search-attribute":
                    var (name, type) = ParseSearchAttribute(Value());
                    options.SearchAttributes[name] = type;
                    break;
                case "--headless":
                    headless = true;
                    break;
                case "--dynamic-config-value":
                    var (key, configValue) = ParseDynamicConfigValue(Value());
                    options.DynamicConfigValues[key] = configValue;
                    break;
                default:
                    // Unknown flags with a value (--log-format pretty, --log-level warn…) skip their value.
                    if (flag.StartsWith('-') && inlineValue is null && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                    {
                        i++;
                    }
                    break;
            }
        }
        if (headless)
        {
            options.UiPort = null;
        }
        return options;
    }

    private static (string Flag, string? Value) SplitFlag(string arg)
    {
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
    }

    private static (string Key, string Value) ParseDynamicConfigValue(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        return eq > 0 ? (value[..eq], value[(eq + 1)..]) : throw new ArgumentException($"--dynamic-config-value wants KEY=VALUE, got '{value}'");
    }

    private static (string Name, IndexedValueType Type) ParseSearchAttribute(string value)
    {
        var eq = value.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new ArgumentException($"--search-attribute wants Name=Type, got '{value}'");
        }
        var typeName = value[(eq + 1)..];
        return Enum.TryParse<IndexedValueType>(typeName, ignoreCase: true, out var type) && type != IndexedValueType.Unspecified
            ? (value[..eq], type)
            : throw new ArgumentException($"Unknown search attribute type '{typeName}'");
    }
}
