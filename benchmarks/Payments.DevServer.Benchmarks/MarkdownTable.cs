using System.Text;

namespace Payments.DevServer.Benchmarks;

/// <summary>A GitHub-flavoured Markdown table with padded columns, readable as plain text too.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((header, column) => _rows.Select(row => row[column].Length).Prepend(Math.Max(3, header.Length)).Max()).ToArray();
        var text = new StringBuilder();
        Line(text, headers, widths, leftAlignFirstOnly: false);
        text.Append('|').AppendJoin('|', widths.Select((width, column) => column == 0 ? $" {new string('-', width)} " : $" {new string('-', width - 1)}: ")).AppendLine("|");
        foreach (var row in _rows)
        {
            Line(text, row, widths, leftAlignFirstOnly: true);
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths, bool leftAlignFirstOnly)
    {
        text.Append('|');
        for (var column = 0; column < cells.Length; column++)
        {
            var cell = leftAlignFirstOnly && column > 0 ? cells[column].PadLeft(widths[column]) : cells[column].PadRight(widths[column]);
            text.Append(' ').Append(cell).Append(" |");
        }
        text.AppendLine();
    }
}
