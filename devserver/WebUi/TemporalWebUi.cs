using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Payments.DevServer.WebUi;

/// <summary>
/// Serves the built Temporal Web UI (a single-page app from <c>ui/</c>): its files as they are, and index.html for
/// every other page address, so a deep link such as /namespaces/default/workflows/payment-… loads.
/// </summary>
public static class TemporalWebUi
{
    public const string MissingMessage =
        "The Temporal Web UI was not built: building Payments.DevServer needs Node.js 20+ and npm on the PATH (ui/README.md).";

    private const string Index = "index.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(WebApplication app, string folder)
    {
        if (!File.Exists(Path.Combine(folder, Index)))
        {
            app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TemporalWebUi))
                .LogWarning("{Message} Serving the HTTP API alone; no {Index} in {Folder}", MissingMessage, Index, folder);
            app.MapGet("/", () => Results.Text(MissingMessage, statusCode: StatusCodes.Status404NotFound));
            return;
        }
        var files = new PhysicalFileProvider(folder);
        app.MapMethods("/{**path}", [HttpMethods.Get, HttpMethods.Head], (HttpContext context, string? path) => Serve(files, context, path ?? string.Empty));
    }

    private static IResult Serve(PhysicalFileProvider files, HttpContext context, string path)
    {
        var file = files.GetFileInfo(path);
        if (file is { Exists: true, IsDirectory: false, PhysicalPath: { } physicalPath })
        {
            // Built asset names carry their content hash: they never change.
            var immutable = path.StartsWith("_app/immutable/", StringComparison.Ordinal);
            context.Response.Headers.CacheControl = immutable ? "public, max-age=31536000, immutable" : "no-cache";
            return TypedResults.PhysicalFile(physicalPath, ContentTypes.TryGetContentType(path, out var type) ? type : "application/octet-stream", enableRangeProcessing: true);
        }
        if (path.StartsWith("_app/", StringComparison.Ordinal) || path.StartsWith("api/", StringComparison.Ordinal))
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.PhysicalFile(files.GetFileInfo(Index).PhysicalPath!, "text/html");
    }
}
