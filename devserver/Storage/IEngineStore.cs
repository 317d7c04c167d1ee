using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Storage;

/// <summary>Where the engine's state goes in durable mode; a write completes once it is on disk.</summary>
internal interface IEngineStore : IDisposable
{
    Task WriteAsync(IReadOnlyList<RunSnapshot> runs);

    Task WriteNamespaceAsync(string name, string id, IReadOnlyDictionary<string, IndexedValueType> searchAttributes);
}
