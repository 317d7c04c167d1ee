using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Payments.DevServer.Http;

/// <summary>
/// Builds the request message of a route the way grpc-gateway does: the JSON body (when the route's body is "*"),
/// else the query string (?query=…&amp;execution.runId=…, repeated keys for repeated fields), then the path fields.
/// Everything is gathered as one JSON object and read by the proto3 JSON parser, so values convert exactly as in JSON.
/// </summary>
internal static class HttpRequestBinder
{
    public static async Task<IMessage> BindAsync(HttpRoute route, HttpContext context)
    {
        var type = route.Method.InputType;
        var json = route.BodyIsRequest ? await ReadBodyAsync(context.Request, context.RequestAborted) : [];
        if (!route.BodyIsRequest)
        {
            foreach (var (key, values) in context.Request.Query)
            {
                Set(json, type, key.Split('.'), values);
            }
        }
        for (var i = 0; i < route.PathFields.Count; i++)
        {
            var value = context.Request.RouteValues[$"p{i}"] as string ?? string.Empty;
            // Kestrel decodes the path except for an encoded slash, which a workflow id may hold.
            Set(json, type, route.PathFields[i].Split('.'), new StringValues(value.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase)));
        }
        try
        {
            return TemporalJson.Parser.Parse(json.ToJsonString(), type);
        }
        catch (Exception error) when (error is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error.Message));
        }
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellation);
        // An empty body means an empty request, as grpc-gateway reads it.
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The request body must be a JSON object."));
        }
        catch (JsonException error)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, error.Message));
        }
    }

    /// <summary>Sets a (possibly nested) field named by its proto or JSON name; names the request lacks are ignored.</summary>
    private static void Set(JsonObject json, MessageDescriptor type, string[] path, StringValues values)
    {
        var field = type.FindFieldByName(path[0]) ?? type.Fields.InDeclarationOrder().FirstOrDefault(candidate => candidate.JsonName == path[0]);
        if (field is null)
        {
            return;
        }
        if (path.Length > 1)
        {
            if (field.FieldType != FieldType.Message || field.IsMap || field.IsRepeated)
            {
                return;
            }
            if (json[field.JsonName] is not JsonObject child)
            {
                child = [];
                json[field.JsonName] = child;
            }
            Set(child, field.MessageType, path[1..], values);
            return;
        }
        json[field.JsonName] = field.IsRepeated
            ? new JsonArray(values.Select(value => ToJson(field, value ?? string.Empty)).ToArray())
            : ToJson(field, values.LastOrDefault() ?? string.Empty);
    }

    /// <summary>A query or path value as JSON for its field: booleans (as Go's ParseBool reads them) and enum numbers unquoted, everything else a string.</summary>
    private static JsonValue ToJson(FieldDescriptor field, string value) => field.FieldType switch
    {
        FieldType.Bool when value is "1" or "t" or "T" or "true" or "TRUE" or "True" => JsonValue.Create(true),
        FieldType.Bool when value is "0" or "f" or "F" or "false" or "FALSE" or "False" => JsonValue.Create(false),
        FieldType.Enum when int.TryParse(value, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
