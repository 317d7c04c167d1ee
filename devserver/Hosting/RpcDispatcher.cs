using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Payments.DevServer.Hosting;

/// <summary>Transport-agnostic entry point: a Temporal method name and its request message in, the response out.</summary>
public sealed class RpcDispatcher
{
    private readonly Dictionary<string, Func<IMessage, CancellationToken, Task<IMessage>>> _handlers = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    internal RpcDispatcher(ILogger<RpcDispatcher> logger) => _logger = logger;

    internal void Register<TRequest>(string method, Func<TRequest, CancellationToken, Task<IMessage>> handler)
        where TRequest : IMessage =>
        _handlers.Add(method, (request, ct) => handler((TRequest)request, ct));

    internal void Register<TRequest>(string method, Func<TRequest, IMessage> handler)
        where TRequest : IMessage =>
        _handlers.Add(method, (request, _) => Task.FromResult(handler((TRequest)request)));

    /// <summary>Answers one call; methods without a handler answer Unimplemented naming the method (and the feature, when left out on purpose).</summary>
    public async Task<IMessage> DispatchAsync(string method, IMessage request, CancellationToken cancellationToken)
    {
        if (!_handlers.TryGetValue(method, out var handler))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, OutOfScopeFeatures.Describe(method) ?? $"Method {method} is not implemented by this server"));
        }
        try
        {
            return await handler(request, cancellationToken);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "Call cancelled"));
        }
        catch (Exception error)
        {
            _logger.LogError(error, "{Method} failed", method);
            throw new RpcException(new Status(StatusCode.Internal, $"{method}: {error.Message}"));
        }
    }
}
