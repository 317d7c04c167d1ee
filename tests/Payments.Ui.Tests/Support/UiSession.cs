using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Payments.Ui.Tests.Support;

/// <summary>
/// One browser tab on the Temporal UI for one test: records every /api/v1 call the UI makes (all must answer 2xx) and
/// saves a screenshot per step under ui-screenshots/{test}/ next to the test assembly (the CI artifact).
/// </summary>
public sealed class UiSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _screenshots;
    private int _step;

    private UiSession(IBrowserContext context, IPage page, Uri uiAddress, string screenshots)
    {
        _context = context;
        _screenshots = screenshots;
        Page = page;
        UiAddress = uiAddress;
        page.Response += (_, response) =>
        {
            if (new Uri(response.Url).AbsolutePath.StartsWith("/api/v1/", StringComparison.Ordinal))
            {
                ApiCalls.Enqueue(new ApiCall(response.Request.Method, System.Net.WebUtility.UrlDecode(new Uri(response.Url).PathAndQuery), response.Status));
            }
        };
    }

    public IPage Page { get; }

    public Uri UiAddress { get; }

    public ConcurrentQueue<ApiCall> ApiCalls { get; } = new();

    public static async Task<UiSession> OpenAsync(UiFixture ui, string testName)
    {
        var context = await ui.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 }, TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        var screenshots = Path.Combine(AppContext.BaseDirectory, "ui-screenshots", testName);
        Directory.CreateDirectory(screenshots);
        return new UiSession(context, page, ui.UiAddress, screenshots);
    }

    public async Task GoToAsync(string path) => await Page.GotoAsync(new Uri(UiAddress, path).ToString());

    public async Task ScreenshotAsync(string step) =>
        await Page.ScreenshotAsync(new() { Path = Path.Combine(_screenshots, $"{++_step:00}-{step}.png"), FullPage = true });

    /// <summary>The calls so far that did not answer 2xx; empty when the server answered everything the UI asked.</summary>
    public IReadOnlyList<ApiCall> FailedCalls() => ApiCalls.Where(call => call.Status is < 200 or > 299).ToList();

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

public sealed record ApiCall(string Method, string PathAndQuery, int Status)
{
    public override string ToString() => $"{Status} {Method} {PathAndQuery}";
}
