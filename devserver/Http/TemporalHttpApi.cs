using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Payments.DevServer.Http;

/// <summary>
/// Temporal's HTTP/JSON API (what the Temporal UI calls): every /api/v1 route of the WorkflowService and
/// OperatorService google.api.http annotations, each turned into its request message and handed by method name
/// to a dispatcher, plus the UI server's GET /api/v1/settings.
/// </summary>
public sealed class TemporalHttpApi(
    Func<string, IMessage, CancellationToken, Task<IMessage>> dispatch,
    TemporalUiSettings? settings = null)
{
    public const string Prefix = "/api/v1";

    private static readonly JsonSerializerOptions PascalCase = new() { PropertyNamingPolicy = null };

    private readonly TemporalUiSettings _settings = settings ?? new TemporalUiSettings();

    /// <summary>The mapping table: every annotated binding under /api/v1 (Temporal's unprefixed ones would clash with the UI's own pages).</summary>
    public static IReadOnlyList<HttpRoute> Routes { get; } = HttpRoute
        .FromServices(
            Temporalio.Api.WorkflowService.V1.ServiceReflection.Descriptor.Services[0],
            Temporalio.Api.OperatorService.V1.ServiceReflection.Descriptor.Services[0])
        .Where(route => route.Template.StartsWith(Prefix + "/", StringComparison.Ordinal))
        .ToList();

    /// <summary>Maps the settings route and every API route onto <paramref name="endpoints"/>.</summary>
    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Prefix + "/settings", () => Results.Json(_settings, PascalCase));
        foreach (var route in Routes)
        {
            endpoints.MapMethods(route.RoutePattern, [route.Verb], context => HandleAsync(route, context))
                .WithDisplayName($"{route.Verb} {route.Template} → {route.Method.Name}");
        }
    }

    private async Task HandleAsync(HttpRoute route, HttpContext context)
    {
        IMessage response;
        try
        {
            var request = await HttpRequestBinder.BindAsync(route, context);
            response = await dispatch(route.Method.Name, request, context.RequestAborted);
        }
        catch (RpcException error)
        {
            await HttpErrorResponse.WriteAsync(context, error);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(TemporalJson.Formatter.Format(response), context.RequestAborted);
    }
}
