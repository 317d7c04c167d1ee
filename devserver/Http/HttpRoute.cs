using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Temporalio.Api.Dependencies.Google.Api;

namespace Payments.DevServer.Http;

/// <summary>
/// One HTTP binding of a Temporal RPC, read from the method's google.api.http annotation: verb, path template
/// (fields in braces, possibly nested like {execution.workflow_id}) and which part of the request the body holds.
/// </summary>
public sealed partial record HttpRoute(string Verb, string Template, string Body, MethodDescriptor Method)
{
    /// <summary>The request field paths named in the template, in order.</summary>
    public IReadOnlyList<string> PathFields { get; } = Placeholder().Matches(Template).Select(match => match.Groups[1].Value).ToArray();

    /// <summary>The template with placeholders renamed p0, p1… (ASP.NET route names cannot hold dots).</summary>
    public string RoutePattern
    {
        get
        {
            var index = 0;
            return Placeholder().Replace(Template, _ => $"{{p{index++}}}");
        }
    }

    /// <summary>Whether the JSON body is the whole request (body: "*"); otherwise fields come from the query string.</summary>
    public bool BodyIsRequest => Body == "*";

    /// <summary>Every binding of the services' methods, additional bindings included, in declaration order.</summary>
    public static IReadOnlyList<HttpRoute> FromServices(params Google.Protobuf.Reflection.ServiceDescriptor[] services) =>
        services.SelectMany(service => service.Methods).SelectMany(FromMethod).ToList();

    private static IEnumerable<HttpRoute> FromMethod(MethodDescriptor method)
    {
        var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        if (rule is null)
        {
            yield break;
        }
        foreach (var binding in rule.AdditionalBindings.Prepend(rule))
        {
            var (verb, template) = binding.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => ("GET", binding.Get),
                HttpRule.PatternOneofCase.Post => ("POST", binding.Post),
                HttpRule.PatternOneofCase.Put => ("PUT", binding.Put),
                HttpRule.PatternOneofCase.Delete => ("DELETE", binding.Delete),
                HttpRule.PatternOneofCase.Patch => ("PATCH", binding.Patch),
                _ => (string.Empty, string.Empty),
            };
            if (verb.Length > 0)
            {
                yield return new HttpRoute(verb, template, binding.Body, method);
            }
        }
    }

    [GeneratedRegex(@"\{([^}=]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
