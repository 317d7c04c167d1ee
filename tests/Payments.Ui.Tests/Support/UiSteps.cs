using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Payments.Ui.Tests.Support;

/// <summary>What an operator does in the Temporal UI, step by step, as Playwright actions on visible elements.</summary>
public static class UiSteps
{
    public const string Namespace = "default";

    public static async Task OpenWorkflowAsync(this UiSession ui, UiFixture fixture, string workflowId, string tab = "history")
    {
        var runId = (await fixture.Temporal.GetWorkflowHandle(workflowId).DescribeAsync()).RunId;
        await ui.GoToAsync($"/namespaces/{Namespace}/workflows/{Uri.EscapeDataString(workflowId)}/{runId}/{tab}");
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = workflowId })).ToBeVisibleAsync();
    }

    public static async Task OpenTabAsync(this UiSession ui, string tab)
    {
        // A tab's name carries its count badge ("Pending Activities 0").
        var link = ui.Page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex($"^{tab}( \\d+)?$") }).First;
        await link.ClickAsync();
        await Expect(link).ToHaveAttributeAsync("aria-selected", "true");
    }

    public static async Task FilterAsync(this UiSession ui, string query)
    {
        await ui.Page.Locator("button[aria-controls=search-attribute-menu]").ClickAsync();
        await ui.ScreenshotAsync("filter-builder");
        await ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = "View Raw Query" }).ClickAsync();
        await ui.Page.GetByPlaceholder("Enter a query").FillAsync(query);
        await ui.Page.GetByTestId("manual-search-button").ClickAsync();
    }

    public static async Task SignalAsync(this UiSession ui, string signal, string json)
    {
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Workflow Actions" }).ClickAsync();
        await ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Send a Signal" }).ClickAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Select a signal" }).ClickAsync();
        await ui.Page.GetByRole(AriaRole.Option, new() { Name = signal }).ClickAsync();
        var modal = ui.Page.Locator("[data-testid=signal-confirmation-modal]:visible");
        await modal.Locator(".cm-content").FillAsync(json);
        await ui.ScreenshotAsync($"signal-{signal}");
        await modal.GetByTestId("confirm-modal-button").ClickAsync();
        await Expect(ui.Page.GetByText("Workflow signaled.")).ToBeVisibleAsync();
    }

    public static async Task TerminateAsync(this UiSession ui, string reason)
    {
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Workflow Actions" }).ClickAsync();
        await ui.Page.GetByRole(AriaRole.Menuitem, new() { Name = "Terminate" }).ClickAsync();
        var modal = ui.Page.Locator("[data-testid=terminate-confirmation-modal]:visible");
        await modal.GetByRole(AriaRole.Textbox).FillAsync(reason);
        await ui.ScreenshotAsync("terminate");
        await modal.GetByTestId("confirm-modal-button").ClickAsync();
    }

    public static async Task RequestCancellationAsync(this UiSession ui)
    {
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Request Cancellation" }).ClickAsync();
        var modal = ui.Page.Locator("[data-testid=cancel-confirmation-modal]:visible");
        await ui.ScreenshotAsync("cancel");
        await modal.GetByTestId("confirm-modal-button").ClickAsync();
    }

    /// <summary>The workflow's status badge in the page header (Running, Completed, Terminated…).</summary>
    public static async Task ExpectStatusAsync(this UiSession ui, string status) =>
        await Expect(ui.Page.Locator("header, main").GetByText(status, new() { Exact = true }).First).ToBeVisibleAsync();
}
