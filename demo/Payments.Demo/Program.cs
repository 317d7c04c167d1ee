using System.CommandLine;
using Payments.Demo;
using Payments.Harness;
using Spectre.Console;

var ci = new Option<bool>("--ci") { Description = "CI's run (also when the output is not a terminal): its own platform with short timers, plain lines, invariants checked; exit code 1 when one broke." };
var api = new Option<Uri>("--api") { Description = "A running platform to use, if it is ready (default http://127.0.0.1:5080, the run command's).", DefaultValueFactory = _ => new Uri("http://127.0.0.1:5080") };
var ui = new Option<Uri>("--ui") { Description = "That platform's Temporal UI (default http://127.0.0.1:8233).", DefaultValueFactory = _ => new Uri("http://127.0.0.1:8233") };

var root = new RootCommand("The platform's story in one command: a payment paid, a frozen merchant retried, a lost bank callback recovered, an unpaid order closed; then the sums checked.")
{
    ci, api, ui,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var inCi = parse.GetValue(ci) || Console.IsOutputRedirected;
    if (Console.IsOutputRedirected)
    {
        // A log or a CI page has no terminal width to ask; wide enough for the summary's links.
        AnsiConsole.Profile.Width = 200;
    }
    var display = new StoryDisplay(live: !inCi);
    AnsiConsole.Write(new Rule("[bold]Payments demo[/]").LeftJustified());
    DemoPlatform? platform = null;
    try
    {
        platform = inCi ? null : await DemoPlatform.FindRunningAsync(parse.GetValue(api)!, parse.GetValue(ui)!, cancellationToken);
        if (platform is null)
        {
            display.Tell("platform", $"starting the platform: PostgreSQL, the Temporal devserver, the worker and the API{(inCi ? " (CI timers)" : "")}…");
            platform = await DemoPlatform.StartAsync(inCi ? DemoTimers.Ci : DemoTimers.Watchable, cancellationToken);
        }
        display.Tell("platform", $"{(platform.IsOwn ? "started" : "already running")}: API {platform.ApiAddress}, Temporal UI {platform.UiAddress}");
        await using var merchant = await DemoMerchant.StartAsync();
        using var client = new PlatformClient(platform.ApiAddress);
        var patience = TimeSpan.FromSeconds(inCi ? 60 : 180);
        var outcome = await display.PlayAsync(() => new Story(platform, client, merchant, display, patience).PlayAsync(cancellationToken));
        var invariants = await Summary.CheckAsync(outcome, client, merchant, platform, cancellationToken);
        var broken = invariants.Count(i => !i.Held);
        AnsiConsole.MarkupLine(broken == 0
            ? $"[green]Every invariant held[/] ({invariants.Count}), in {display.Elapsed.TotalSeconds:0} s."
            : $"[red]{broken} of {invariants.Count} invariants broken[/], in {display.Elapsed.TotalSeconds:0} s.{LogHint(platform)}");
        return broken == 0 ? 0 : 1;
    }
    catch (Exception e) when (e is StoryStoppedException or TimeoutException or InvalidOperationException or HttpRequestException)
    {
        AnsiConsole.MarkupLine($"[red]The demo stopped:[/] {Markup.Escape(e.Message)}{LogHint(platform)}");
        return 2;
    }
    finally
    {
        if (platform is not null)
        {
            await platform.DisposeAsync();
        }
    }
});
return await root.Parse(args).InvokeAsync();

static string LogHint(DemoPlatform? platform) => platform?.LogFile is { } log ? Markup.Escape($" The platform's log: {log}") : "";
