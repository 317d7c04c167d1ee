using Microsoft.Playwright;
using Payments.Ui.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Payments.Ui.Tests;

/// <summary>The workflow list: payments and their notifications with status and the payments' search attributes as columns; the visibility filter.</summary>
[Collection(SharedUi.Name)]
public sealed class WorkflowList_Specs(UiFixture fixture)
{
    [Fact]
    public async Task List_PaymentsAndNotifications_ShowStatusMerchantIdAndPaymentStatusColumns()
    {
        // A busy merchant: the notification goes on in notify-{id}, listed beside the payment.
        var (paidShop, paid) = await fixture.PayAsync(frozenMerchant: false, busyMerchant: true);
        var (suspendedShop, suspended) = await fixture.PayAsync(frozenMerchant: true);
        await using var ui = await UiSession.OpenAsync(fixture, nameof(List_PaymentsAndNotifications_ShowStatusMerchantIdAndPaymentStatusColumns));

        await ui.GoToAsync("/");
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = $"payment-{suspended}" })).ToBeVisibleAsync();
        await ui.ScreenshotAsync("list");

        var headers = ui.Page.Locator("table thead");
        await Expect(headers).ToContainTextAsync("MerchantId");
        await Expect(headers).ToContainTextAsync("PaymentStatus");
        var suspendedRow = ui.Page.Locator("table tbody tr", new() { HasText = $"payment-{suspended}" });
        await Expect(suspendedRow).ToContainTextAsync("Running");
        await Expect(suspendedRow).ToContainTextAsync(suspendedShop.MerchantId);
        await Expect(suspendedRow).ToContainTextAsync("SUSPENDED");
        var paidRow = ui.Page.Locator("table tbody tr", new() { HasText = $"payment-{paid}" });
        await Expect(paidRow).ToContainTextAsync("Completed");
        await Expect(paidRow).ToContainTextAsync(paidShop.MerchantId);
        await Expect(paidRow).ToContainTextAsync("PAID");
        await Expect(ui.Page.Locator("table tbody tr", new() { HasText = $"notify-{paid}" })).ToContainTextAsync("MerchantNotification");
        Assert.Empty(ui.FailedCalls());
    }

    [Fact]
    public async Task Filter_PaymentStatusSuspended_FindsExactlyTheSuspendedPayments()
    {
        var (_, paid) = await fixture.PayAsync(frozenMerchant: false);
        var (_, suspended) = await fixture.PayAsync(frozenMerchant: true);
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Filter_PaymentStatusSuspended_FindsExactlyTheSuspendedPayments));
        await ui.GoToAsync($"/namespaces/{UiSteps.Namespace}/workflows");
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = $"payment-{paid}" })).ToBeVisibleAsync();

        await ui.FilterAsync("PaymentStatus = \"SUSPENDED\"");
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = $"payment-{paid}" })).ToBeHiddenAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = $"payment-{suspended}" })).ToBeVisibleAsync();
        await ui.ScreenshotAsync("filtered");

        // Every payment the API reports SUSPENDED, and nothing else.
        var expected = (await fixture.Client.GetNodeAsync("/api/payments?status=SUSPENDED")).AsObject()["items"]!.AsArray()
            .Select(item => $"payment-{(string)item!["paymentId"]!}").Order().ToList();
        var listed = (await ui.Page.Locator("table tbody tr a").AllTextContentsAsync())
            .Select(text => text.Trim()).Where(text => text.StartsWith("payment-", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(expected, listed);
        Assert.Contains(ui.ApiCalls, call => call.PathAndQuery.Contains("query=PaymentStatus = \"SUSPENDED\"", StringComparison.Ordinal));
        Assert.Empty(ui.FailedCalls());
    }
}
