using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Payments.Harness;

namespace Payments.Demo;

/// <summary>One path of a payment as the story played it: the status it must end in and its last view.</summary>
public sealed record Scene(string Name, string PaymentId, string Expected, JsonNode View, bool Waited);

/// <summary>The parties the story created, and how each of its payments ended.</summary>
public sealed record StoryOutcome(string MerchantId, string UserId, IReadOnlyList<Scene> Scenes);

/// <summary>Raised when the platform does not do what the story waits for; its message says what was last seen.</summary>
public sealed class StoryStoppedException(string message) : Exception(message);

/// <summary>
/// The platform's story through its public HTTP API, as a merchant, a shopper, the bank simulator and an operator play
/// it: a payment paid by the bank's callback, one suspended by a frozen merchant and retried, one whose callback was
/// lost and which the bank query finds, and an order nobody pays, closed at its expiry.
/// </summary>
public sealed class Story(DemoPlatform platform, PlatformClient client, DemoMerchant merchant, StoryDisplay display, TimeSpan patience)
{
    public const string Paid = "paid";
    public const string Frozen = "frozen merchant";
    public const string LostCallback = "lost callback";
    public const string Unpaid = "unpaid";

    /// <summary>Past this, a running platform's expiry (30 min by default) is only announced, not waited for.</summary>
    private static readonly TimeSpan LongestExpiryWaited = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentDictionary<string, string> _sceneOfPayment = new();

    public async Task<StoryOutcome> PlayAsync(CancellationToken cancellationToken)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var (merchantId, apiKey, notifySecret) = await client.CreateMerchantAsync($"demo-{stamp}", cancellationToken);
        merchant.Trust(notifySecret);
        var userId = $"shopper-{stamp}";
        await client.CreateUserAsync(userId, cancellationToken);
        merchant.Received += receipt => display.Tell(_sceneOfPayment.GetValueOrDefault(receipt.PaymentId, "?"),
            $"the merchant received [bold]{receipt.Status}[/], signature {(receipt.SignatureVerified ? "[green]verified[/]" : "[red]WRONG[/]")}");
        display.Tell("setup", $"operator created merchant {merchantId} (API key and notify secret shown once) and user {userId}");
        display.Tell("setup", $"the merchant's notify endpoint listens on {merchant.NotifyUrl}");

        // Created first, so its expiry runs while the other scenes play.
        var unpaid = await CreateAsync(Unpaid, apiKey, "A-4", userId, 1500, cancellationToken);
        display.Tell(Unpaid, $"nobody will pay it: it expires at {(string?)unpaid["expiresAt"]}");

        var paid = await PaidByCallbackAsync(apiKey, userId, cancellationToken);
        var frozen = await FrozenMerchantAsync(merchantId, apiKey, userId, cancellationToken);
        var lost = await LostCallbackAsync(apiKey, userId, cancellationToken);
        var closed = await ClosedAtExpiryAsync(unpaid, cancellationToken);
        return new StoryOutcome(merchantId, userId, [paid, frozen, lost, closed]);
    }

    private async Task<Scene> PaidByCallbackAsync(string apiKey, string userId, CancellationToken cancellationToken)
    {
        var paymentId = (string)(await CreateAsync(Paid, apiKey, "A-1", userId, 10000, cancellationToken))["paymentId"]!;
        await DebitAsync(Paid, paymentId, 10000, deliverCallback: true, cancellationToken);
        var view = await WatchUntilNotifiedAsync(Paid, paymentId, "PAID", patience, cancellationToken);
        await TellVoucherAsync(Paid, paymentId, cancellationToken);
        return new Scene(Paid, paymentId, "PAID", view, Waited: true);
    }

    private async Task<Scene> FrozenMerchantAsync(string merchantId, string apiKey, string userId, CancellationToken cancellationToken)
    {
        var paymentId = (string)(await CreateAsync(Frozen, apiKey, "A-2", userId, 25000, cancellationToken))["paymentId"]!;
        await client.SetFrozenAsync("merchants", merchantId, frozen: true, cancellationToken);
        display.Tell(Frozen, "the operator [red]froze[/] the merchant: its account will refuse the credit");
        await DebitAsync(Frozen, paymentId, 25000, deliverCallback: true, cancellationToken);
        var suspended = await WatchAsync(Frozen, paymentId,
            view => (string?)view["status"] == "SUSPENDED" && (string?)view["step"] == "WAITING_FOR_OPERATOR", patience, cancellationToken);
        display.Tell(Frozen, $"{StoryDisplay.Colour("SUSPENDED")}: the tries cancelled, waiting for an operator ({Escape((string?)suspended["lastError"])})");
        await client.SetFrozenAsync("merchants", merchantId, frozen: false, cancellationToken);
        display.Tell(Frozen, "the operator unfroze the merchant and decides [bold]RETRY[/]");
        await ResolveAsync(paymentId, cancellationToken);
        display.Tell(Frozen, "202: the workflow recorded the decision");
        var view = await WatchUntilNotifiedAsync(Frozen, paymentId, "PAID", patience, cancellationToken);
        return new Scene(Frozen, paymentId, "PAID", view, Waited: true);
    }

    private async Task<Scene> LostCallbackAsync(string apiKey, string userId, CancellationToken cancellationToken)
    {
        var paymentId = (string)(await CreateAsync(LostCallback, apiKey, "A-3", userId, 4990, cancellationToken))["paymentId"]!;
        await DebitAsync(LostCallback, paymentId, 4990, deliverCallback: false, cancellationToken);
        display.Tell(LostCallback, "the bank's callback is lost: the workflow asks the bank at its query schedule");
        var view = await WatchUntilNotifiedAsync(LostCallback, paymentId, "PAID", patience, cancellationToken);
        return new Scene(LostCallback, paymentId, "PAID", view, Waited: true);
    }

    private async Task<Scene> ClosedAtExpiryAsync(JsonNode created, CancellationToken cancellationToken)
    {
        var paymentId = (string)created["paymentId"]!;
        var untilExpiry = DateTimeOffset.Parse((string)created["expiresAt"]!, CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow;
        if (untilExpiry > LongestExpiryWaited)
        {
            display.Tell(Unpaid, $"closes at its expiry, in {untilExpiry:hh\\:mm\\:ss}: not waited for (a demo that starts its own platform uses short timers)");
            return new Scene(Unpaid, paymentId, "CLOSED", await client.GetAsync($"/api/payments/{paymentId}", cancellationToken) ?? new JsonObject(), Waited: false);
        }
        var view = await WatchUntilNotifiedAsync(Unpaid, paymentId, "CLOSED", untilExpiry + patience, cancellationToken);
        return new Scene(Unpaid, paymentId, "CLOSED", view, Waited: true);
    }

    /// <summary>RETRY, asked again while the workflow has not yet taken up its wait for an operator (409).</summary>
    private async Task ResolveAsync(string paymentId, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        HttpStatusCode answer;
        while ((answer = await client.ResolveAsync(paymentId, "RETRY", "merchant unfrozen", cancellationToken)) == HttpStatusCode.Conflict
            && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(PollInterval, cancellationToken);
        }
        if (answer != HttpStatusCode.Accepted)
        {
            throw new StoryStoppedException($"{Frozen}: the resolution RETRY of {paymentId} was answered {(int)answer}, not 202.");
        }
    }

    private async Task<JsonNode> CreateAsync(string scene, string apiKey, string orderNo, string userId, long amount, CancellationToken cancellationToken)
    {
        var paymentId = await client.CreatePaymentAsync(apiKey, orderNo, userId, amount, merchant.NotifyUrl, cancellationToken);
        _sceneOfPayment[paymentId] = scene;
        var view = (await client.GetAsync($"/api/payments/{paymentId}", cancellationToken))!;
        display.Show(scene, view);
        display.Tell(scene, $"the merchant created order {orderNo} for {amount} CNY minor units: payment {paymentId}, workflow {(string?)view["workflowId"]}");
        return view;
    }

    private async Task DebitAsync(string scene, string paymentId, long amount, bool deliverCallback, CancellationToken cancellationToken)
    {
        var debit = await client.DebitAsync(paymentId, amount, deliverCallback, cancellationToken);
        display.Tell(scene, $"the shopper paid: bank debit {(string?)debit["bankTxnId"]}{(deliverCallback ? ", the bank's signed callback sent" : "")}");
    }

    private async Task TellVoucherAsync(string scene, string paymentId, CancellationToken cancellationToken)
    {
        foreach (var voucher in (await client.GetAsync($"/api/accounting/vouchers?paymentId={paymentId}", cancellationToken))!.AsArray())
        {
            var lines = voucher!["lines"]!.AsArray();
            display.Tell(scene, $"voucher {(string?)voucher["voucherId"]}: debits {lines.Sum(l => (long)l!["debit"]!)} = credits {lines.Sum(l => (long)l!["credit"]!)}");
        }
    }

    /// <summary>Until the payment has <paramref name="status"/> and the merchant acknowledged that notification, verified.</summary>
    private Task<JsonNode> WatchUntilNotifiedAsync(string scene, string paymentId, string status, TimeSpan wait, CancellationToken cancellationToken) =>
        WatchAsync(scene, paymentId, view => (string?)view["status"] == status
            && (string?)view["notification"] == "DELIVERED"
            && merchant.WasNotified(paymentId, status), wait, cancellationToken);

    /// <summary>Polls the payment view, showing each change of its state, until <paramref name="done"/>.</summary>
    private async Task<JsonNode> WatchAsync(string scene, string paymentId, Func<JsonNode, bool> done, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        var seen = "";
        while (true)
        {
            var view = (await client.GetAsync($"/api/payments/{paymentId}", cancellationToken))!;
            var state = $"{StoryDisplay.Colour((string?)view["status"])} step {view["step"]}, fund {view["fundAccount"]}, points {view["pointsAccount"]}, voucher {view["accounting"]}, notification {view["notification"]}";
            if (state != seen)
            {
                seen = state;
                display.Show(scene, view);
                display.Tell(scene, state);
            }
            if (done(view))
            {
                return view;
            }
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new StoryStoppedException($"{scene}: payment {paymentId} did not get there within {wait.TotalSeconds:0} s; last seen: {view.ToJsonString()} (workflow: {platform.WorkflowPage($"payment-{paymentId}")})");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static string Escape(string? text) => Spectre.Console.Markup.Escape(text ?? "no error recorded");
}
