using System.Text.Json;
using Microsoft.Playwright;
using Payments.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Payments.Ui.Tests;

/// <summary>An operator finds a suspended payment in the UI, reads why it waits, and resolves it with the resolve signal.</summary>
[Collection(SharedUi.Name)]
public sealed class SuspendedPayment_Specs(UiFixture fixture)
{
    [Fact]
    public async Task Page_SuspendedPayment_ShowsTccHistoryPendingActivitiesCallStackAndStatusQuery()
    {
        var (_, paymentId) = await fixture.PayAsync(frozenMerchant: true);
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Page_SuspendedPayment_ShowsTccHistoryPendingActivitiesCallStackAndStatusQuery));

        await ui.OpenWorkflowAsync(fixture, $"payment-{paymentId}");
        await Expect(ui.Page.GetByText("TryCredit").First).ToBeVisibleAsync();
        await Expect(ui.Page.GetByText("CancelCredit").First).ToBeVisibleAsync();
        await ui.ScreenshotAsync("history-timeline");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Minimized" }).ClickAsync();
        await ui.ScreenshotAsync("history-full");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Descending" }).ClickAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Ascending" })).ToBeVisibleAsync();
        await ui.ScreenshotAsync("history-reversed");

        await ui.OpenTabAsync("Pending Activities");
        await ui.ScreenshotAsync("pending-activities");
        await ui.OpenTabAsync("Call Stack");
        await Expect(ui.Page.GetByText("PaymentCompletion").Last).ToBeVisibleAsync();
        await ui.ScreenshotAsync("call-stack");
        await ui.OpenTabAsync("Queries");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Run Query" }).ClickAsync();
        await Expect(ui.Page.Locator("main")).ToContainTextAsync("SUSPENDED");
        await ui.ScreenshotAsync("status-query");

        Assert.Contains(ui.ApiCalls, call => call.PathAndQuery.Contains("/query/__stack_trace", StringComparison.Ordinal));
        Assert.Contains(ui.ApiCalls, call => call.PathAndQuery.Contains("/query/__temporal_workflow_metadata", StringComparison.Ordinal));
        Assert.Contains(ui.ApiCalls, call => call.PathAndQuery.Contains("/query/status", StringComparison.Ordinal));
        Assert.Empty(ui.FailedCalls());
    }

    [Fact]
    public async Task Resolve_RetrySentFromTheUiAfterUnfreezing_PaysThePayment()
    {
        var (shop, paymentId) = await fixture.PayAsync(frozenMerchant: true);
        await fixture.OperatorPostAsync($"/api/merchants/{shop.MerchantId}/unfreeze");
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Resolve_RetrySentFromTheUiAfterUnfreezing_PaysThePayment));
        await ui.OpenWorkflowAsync(fixture, $"payment-{paymentId}");

        await ui.SignalAsync("resolve", """{"action":"RETRY","reason":"merchant unfrozen"}""");
        var payment = await fixture.Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE");
        await ui.Page.ReloadAsync();
        await ui.ExpectStatusAsync("Completed");
        await ui.ScreenshotAsync("paid");

        Assert.Equal("PAID", (string?)payment["status"]);
        Assert.Contains(ui.ApiCalls, call => call is { Method: "POST" } && call.PathAndQuery.Contains($"/workflows/payment-{paymentId}/signal/resolve", StringComparison.Ordinal));
        Assert.Empty(ui.FailedCalls());
    }

    [Fact]
    public async Task Resolve_MisspelledActionSentFromTheUi_StaysSuspendedAndIsLoggedWithThePaymentId()
    {
        var (_, paymentId) = await fixture.PayAsync(frozenMerchant: true);
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Resolve_MisspelledActionSentFromTheUi_StaysSuspendedAndIsLoggedWithThePaymentId));
        await ui.OpenWorkflowAsync(fixture, $"payment-{paymentId}");

        await ui.SignalAsync("resolve", """{"action":"RETRI","reason":"typo"}""");
        var dropped = await WaitForLogAsync(line => line.Contains(paymentId, StringComparison.Ordinal) && line.Contains("resolve", StringComparison.Ordinal)
            && line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal));
        await ui.Page.ReloadAsync();
        await ui.ExpectStatusAsync("Running");
        await ui.ScreenshotAsync("still-suspended");

        Assert.NotNull(dropped);
        Assert.Equal(paymentId, JsonDocument.Parse(dropped).RootElement.GetProperty("PaymentId").GetString());
        Assert.Equal("SUSPENDED", (string?)(await fixture.Client.GetAsync($"/api/payments/{paymentId}"))["status"]);
        Assert.Empty(ui.FailedCalls());
    }

    /// <summary>The API's JSON log line that satisfies <paramref name="match"/>, once the worker has written it; null if it never does.</summary>
    private async Task<string?> WaitForLogAsync(Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var line = fixture.Api.Output.Split('\n').FirstOrDefault(l => l.StartsWith('{') && match(l));
            if (line is not null)
            {
                return line;
            }
            await Task.Delay(200);
        }
        return null;
    }
}
