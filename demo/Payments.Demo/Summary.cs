using System.Text.Json.Nodes;
using Payments.Domain;
using Payments.Harness;
using Spectre.Console;

namespace Payments.Demo;

/// <summary>One invariant the story must leave true, and what the demo saw.</summary>
public sealed record Invariant(string Name, bool Held, string Seen);

/// <summary>The story's end: each payment with its money and its workflow's page, the parties' balances, and the invariants checked.</summary>
public static class Summary
{
    public static async Task<IReadOnlyList<Invariant>> CheckAsync(StoryOutcome outcome, PlatformClient client, DemoMerchant merchant, DemoPlatform platform, CancellationToken cancellationToken)
    {
        var vouchers = new Dictionary<string, JsonArray>();
        foreach (var scene in outcome.Scenes)
        {
            vouchers[scene.PaymentId] = (await client.GetAsync($"/api/accounting/vouchers?paymentId={scene.PaymentId}", cancellationToken))!.AsArray();
        }
        var account = (await client.GetAsync($"/api/merchants/{outcome.MerchantId}/account", cancellationToken))!;
        var points = (await client.GetAsync($"/api/users/{outcome.UserId}/points", cancellationToken))!;
        var waited = outcome.Scenes.Where(s => s.Waited).ToList();
        var paid = waited.Where(s => s.Expected == "PAID").ToList();

        var payments = new Table().Border(TableBorder.Rounded).Title("[bold]Summary[/]")
            .AddColumns("scene", "payment", "status", "amount", "fee", "net", "points", "voucher");
        foreach (var scene in outcome.Scenes)
        {
            var view = scene.View;
            // Fee, net amount and points are what a payment earns once paid; an order closed unpaid earned none.
            var earned = (string?)view["status"] == "PAID";
            payments.AddRow(
                Markup.Escape(scene.Name),
                Markup.Escape(scene.PaymentId),
                StoryDisplay.Colour((string?)view["status"]),
                $"{(long?)view["amount"]}",
                earned ? $"{(long?)view["fee"]}" : "-",
                earned ? $"{(long?)view["netAmount"]}" : "-",
                earned ? $"{(long?)view["points"]}" : "-",
                Markup.Escape(string.Join(", ", vouchers[scene.PaymentId].Select(v => $"{(string?)v!["voucherId"]} {Balance(v!)}"))));
        }
        AnsiConsole.Write(payments);
        // Links on lines of their own, so a terminal keeps them whole and clickable.
        AnsiConsole.MarkupLine("Each payment's workflow in the Temporal UI:");
        foreach (var scene in outcome.Scenes)
        {
            AnsiConsole.MarkupLine($"{Markup.Escape(scene.Name),-16} {Markup.Escape(platform.WorkflowPage($"payment-{scene.PaymentId}").ToString())}");
        }
        AnsiConsole.MarkupLine($"merchant {outcome.MerchantId}: balance [bold]{(long?)account["balance"]}[/], pending credit {(long?)account["pendingCredit"]}; " +
            $"user {outcome.UserId}: points [bold]{(long?)points["points"]}[/], pending {(long?)points["pendingPoints"]}");

        var payable = Ledger.MerchantPayable(outcome.MerchantId);
        var ledgerPayable = paid.SelectMany(s => vouchers[s.PaymentId]).SelectMany(v => v!["lines"]!.AsArray())
            .Where(l => (string?)l!["account"] == payable).Sum(l => (long)l!["credit"]! - (long)l!["debit"]!);
        var invariants = new List<Invariant>();
        invariants.AddRange(waited.Select(s => new Invariant($"{s.Name}: the payment ends {s.Expected}", (string?)s.View["status"] == s.Expected, $"{s.View["status"]}")));
        invariants.AddRange(waited.Select(s => new Invariant($"{s.Name}: the merchant was notified {s.Expected}, signature verified",
            merchant.WasNotified(s.PaymentId, s.Expected), $"notification {s.View["notification"]}")));
        invariants.Add(new Invariant("every notification the merchant received was signed with its secret",
            merchant.Receipts.Count > 0 && merchant.Receipts.All(r => r.SignatureVerified),
            $"{merchant.Receipts.Count(r => r.SignatureVerified)} of {merchant.Receipts.Count} verified"));
        invariants.AddRange(paid.Select(s => new Invariant($"{s.Name}: one voucher, debits = credits",
            vouchers[s.PaymentId].Count == 1 && Balanced(vouchers[s.PaymentId][0]!),
            string.Join(", ", vouchers[s.PaymentId].Select(v => Balance(v!))))));
        invariants.AddRange(waited.Where(s => s.Expected == "CLOSED").Select(s => new Invariant($"{s.Name}: no voucher for a closed order",
            vouchers[s.PaymentId].Count == 0, $"{vouchers[s.PaymentId].Count} vouchers")));
        invariants.Add(new Invariant("frozen merchant: the operator's RETRY is on the payment",
            waited.Where(s => s.Name == Story.Frozen).All(s => s.View["resolutions"]?.AsArray().Any(r => (string?)r!["action"] == "RETRY") == true),
            string.Join(", ", waited.Where(s => s.Name == Story.Frozen).SelectMany(s => s.View["resolutions"]?.AsArray() ?? []).Select(r => $"{r!["action"]} by {r["source"]}"))));
        var expectedBalance = paid.Sum(s => (long)s.View["netAmount"]!);
        invariants.Add(new Invariant("merchant balance = the paid payments' net amounts, nothing pending",
            (long)account["balance"]! == expectedBalance && (long)account["pendingCredit"]! == 0,
            $"balance {account["balance"]}, expected {expectedBalance}, pending {account["pendingCredit"]}"));
        invariants.Add(new Invariant($"ledger: credits to {payable} = merchant balance",
            ledgerPayable == (long)account["balance"]!, $"ledger {ledgerPayable}, balance {account["balance"]}"));
        var expectedPoints = paid.Sum(s => (long)s.View["points"]!);
        invariants.Add(new Invariant("user points = the paid payments' points, nothing pending",
            (long)points["points"]! == expectedPoints && (long)points["pendingPoints"]! == 0,
            $"points {points["points"]}, expected {expectedPoints}, pending {points["pendingPoints"]}"));

        var checks = new Table().Border(TableBorder.Rounded).Title("[bold]Invariants[/]").AddColumns("", "invariant", "seen");
        foreach (var invariant in invariants)
        {
            checks.AddRow(invariant.Held ? "[green]HELD[/]" : "[red]BROKEN[/]", Markup.Escape(invariant.Name), Markup.Escape(invariant.Seen));
        }
        AnsiConsole.Write(checks);
        return invariants;
    }

    private static bool Balanced(JsonNode voucher) =>
        voucher["lines"]!.AsArray().Sum(l => (long)l!["debit"]!) == voucher["lines"]!.AsArray().Sum(l => (long)l!["credit"]!);

    private static string Balance(JsonNode voucher) =>
        $"Dr {voucher["lines"]!.AsArray().Sum(l => (long)l!["debit"]!)} {(Balanced(voucher) ? "=" : "≠")} Cr {voucher["lines"]!.AsArray().Sum(l => (long)l!["credit"]!)}";
}
