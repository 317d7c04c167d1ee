using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Payments.DevServer.Http;

/// <summary>
/// Proto3 JSON as Temporal's HTTP API speaks it: camelCase names, int64 as strings, enum names, base64 bytes,
/// and google.protobuf.Any resolved against every Temporal message (error details carry them).
/// </summary>
internal static class TemporalJson
{
    private static readonly TypeRegistry Types = TypeRegistry.FromFiles(
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor,
        Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor,
        Temporalio.Api.ErrorDetails.V1.MessageReflection.Descriptor);

    public static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(Types));

    /// <summary>Unknown fields are skipped: a newer UI may send fields this API version lacks.</summary>
    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithTypeRegistry(Types).WithIgnoreUnknownFields(true));
}
