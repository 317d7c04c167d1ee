using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Payments.DevServer.Tests.Http;

/// <summary>A dispatcher standing in for the engine: it keeps the last call and answers the method's empty response.</summary>
internal sealed class RecordingDispatcher
{
    private static readonly Dictionary<string, MethodDescriptor> Methods =
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services[0].Methods
            .Concat(Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services[0].Methods)
            .ToDictionary(method => method.Name);

    public string? Method { get; private set; }

    public IMessage? Request { get; private set; }

    public Task<IMessage> DispatchAsync(string method, IMessage request, CancellationToken cancellation)
    {
        Method = method;
        Request = request;
        return Task.FromResult((IMessage)Activator.CreateInstance(Methods[method].OutputType.ClrType)!);
    }
}
