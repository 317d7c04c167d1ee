using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Payments.Demo;

/// <summary>
/// What the audience sees: on a terminal, a live table with one row per payment as the workflows move it and the
/// latest events under it; in CI (no terminal), one timed line per event.
/// </summary>
public sealed class StoryDisplay
{
    private const int EventsShown = 14;
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(string Scene, JsonNode View)> _payments = [];
    private readonly Queue<string> _events = new();
    private readonly bool _live;
    private LiveDisplayContext? _context;

    public StoryDisplay(bool live) => _live = live;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Plays <paramref name="story"/> under the live table (or plainly, without a terminal).</summary>
    public async Task<T> PlayAsync<T>(Func<Task<T>> story)
    {
        if (!_live)
        {
            return await story();
        }
        return await AnsiConsole.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            lock (_lock)
            {
                _context = context;
            }
            try
            {
                return await story();
            }
            finally
            {
                lock (_lock)
                {
                    _context = null;
                }
            }
        });
    }

    public void Tell(string scene, string text)
    {
        var line = $"[grey]{Elapsed:mm\\:ss\\.f}[/] [bold]{Markup.Escape(scene)}[/] {text}";
        lock (_lock)
        {
            if (_context is null)
            {
                AnsiConsole.MarkupLine(line);
                return;
            }
            _events.Enqueue(line);
            while (_events.Count > EventsShown)
            {
                _events.Dequeue();
            }
            Refresh();
        }
    }

    /// <summary>The payment's latest view, in its scene's row.</summary>
    public void Show(string scene, JsonNode view)
    {
        lock (_lock)
        {
            var row = _payments.FindIndex(p => p.Scene == scene);
            if (row < 0)
            {
                _payments.Add((scene, view));
            }
            else
            {
                _payments[row] = (scene, view);
            }
            Refresh();
        }
    }

    private void Refresh()
    {
        if (_context is { } context)
        {
            context.UpdateTarget(Render());
            context.Refresh();
        }
    }

    private IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Payments[/]")
            .AddColumns("scene", "payment", "amount", "status", "step", "fund", "points", "voucher", "merchant notified");
        foreach (var (scene, view) in _payments)
        {
            table.AddRow(
                Markup.Escape(scene),
                Markup.Escape((string?)view["paymentId"] ?? ""),
                $"{(long?)view["amount"]}",
                Colour((string?)view["status"]),
                Markup.Escape((string?)view["step"] ?? ""),
                Markup.Escape((string?)view["fundAccount"] ?? ""),
                Markup.Escape((string?)view["pointsAccount"] ?? ""),
                Markup.Escape((string?)view["accounting"] ?? ""),
                Markup.Escape((string?)view["notification"] ?? ""));
        }
        var events = new Panel(new Markup(_events.Count == 0 ? "[grey]…[/]" : string.Join('\n', _events)))
            .Header("what happens").Border(BoxBorder.Rounded).Expand();
        return new Rows(table, events);
    }

    /// <summary>A payment status in the colour an operator reads it by.</summary>
    public static string Colour(string? status) => status switch
    {
        "PAID" => "[green]PAID[/]",
        "SUSPENDED" or "FAILED" => $"[red]{status}[/]",
        "CLOSED" or "REFUNDED" => $"[yellow]{status}[/]",
        _ => Markup.Escape(status ?? ""),
    };
}
