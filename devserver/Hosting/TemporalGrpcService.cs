using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace Payments.DevServer.Hosting;

/// <summary>Marker type that gRPC binds every Temporal method to; the work is done by <see cref="RpcDispatcher"/>.</summary>
internal sealed class TemporalGrpcService(RpcDispatcher dispatcher)
{
    public Task<IMessage> InvokeAsync(string method, IMessage request, ServerCallContext context) =>
        dispatcher.DispatchAsync(method, request, context.CancellationToken);
}

/// <summary>Registers one unary gRPC method per method of Temporal's service descriptors (no .proto files needed).</summary>
internal sealed class TemporalServiceMethodProvider : IServiceMethodProvider<TemporalGrpcService>
{
    public static readonly IReadOnlyList<ProtoServiceDescriptor> Services =
    [
        Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services[0],
        Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services[0],
        Temporalio.Api.TestService.V1.ServiceReflection.Descriptor.Services[0],
    ];

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TemporalGrpcService> context)
    {
        foreach (var service in Services)
        {
            foreach (var descriptor in service.Methods)
            {
                var input = descriptor.InputType.Parser;
                var method = new Method<IMessage, IMessage>(
                    MethodType.Unary,
                    service.FullName,
                    descriptor.Name,
                    Marshallers.Create<IMessage>(message => message.ToByteArray(), input.ParseFrom),
                    Marshallers.Create<IMessage>(message => message.ToByteArray(), descriptor.OutputType.Parser.ParseFrom));
                var name = descriptor.Name;
                context.AddUnaryMethod(method, [], (svc, request, ctx) => svc.InvokeAsync(name, request, ctx));
            }
        }
    }
}
