using Microsoft.Playwright;
using Payments.Ui.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.TaskQueue.V1;
using Temporalio.Api.WorkflowService.V1;
using static Microsoft.Playwright.Assertions;

namespace Payments.Ui.Tests;

/// <summary>Moving around: namespaces and their details, a payment's child notification, the task queue and its worker.</summary>
[Collection(SharedUi.Name)]
public sealed class Navigation_Specs(UiFixture fixture)
{
    [Fact]
    public async Task Namespaces_Default_ShowsItsDetailsAndSearchAttributes()
    {
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Namespaces_Default_ShowsItsDetailsAndSearchAttributes));

        await ui.GoToAsync("/namespaces");
        await ui.ScreenshotAsync("namespaces");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = UiSteps.Namespace, Exact = true }).Last.ClickAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = UiSteps.Namespace, Exact = true })).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("main")).ToContainTextAsync("PaymentStatus");
        await Expect(ui.Page.Locator("main")).ToContainTextAsync("2.38.0");
        await ui.ScreenshotAsync("namespace-details");

        Assert.Contains(ui.ApiCalls, call => call.PathAndQuery.StartsWith("/api/v1/cluster-info", StringComparison.Ordinal));
        Assert.Contains(ui.ApiCalls, call => call.PathAndQuery.StartsWith($"/api/v1/namespaces/{UiSteps.Namespace}?", StringComparison.Ordinal));
        Assert.Empty(ui.FailedCalls());
    }

    [Fact]
    public async Task Relationships_PaidPaymentWhoseMerchantIsBusy_LinksToItsNotification()
    {
        // A merchant that answered the first attempt gets no notification workflow: this one does not answer.
        var (_, paymentId) = await fixture.PayAsync(frozenMerchant: false, busyMerchant: true);
        await using var ui = await UiSession.OpenAsync(fixture, nameof(Relationships_PaidPaymentWhoseMerchantIsBusy_LinksToItsNotification));
        await ui.OpenWorkflowAsync(fixture, $"payment-{paymentId}", "relationships");
        await ui.ScreenshotAsync("relationships");

        await ui.Page.GetByRole(AriaRole.Link, new() { Name = $"notify-{paymentId}" }).First.ClickAsync();
        await Expect(ui.Page.GetByRole(AriaRole.Heading, new() { Name = $"notify-{paymentId}" })).ToBeVisibleAsync();
        await Expect(ui.Page.Locator("main")).ToContainTextAsync("MerchantNotification");
        await ui.ScreenshotAsync("notification");
        Assert.Empty(ui.FailedCalls());
    }

    [Fact]
    public async Task TaskQueue_Payments_ListsTheWorker()
    {
        var pollers = await fixture.Temporal.WorkflowService.DescribeTaskQueueAsync(new DescribeTaskQueueRequest
        {
            Namespace = UiSteps.Namespace,
            TaskQueue = new TaskQueue { Name = "payments" },
            TaskQueueType = TaskQueueType.Workflow,
        });
        var worker = Assert.Single(pollers.Pollers.Select(p => p.Identity).Distinct());
        await using var ui = await UiSession.OpenAsync(fixture, nameof(TaskQueue_Payments_ListsTheWorker));

        await ui.GoToAsync($"/namespaces/{UiSteps.Namespace}/task-queues/payments");
        await Expect(ui.Page.Locator("main")).ToContainTextAsync(worker);
        await ui.ScreenshotAsync("task-queue");
        Assert.Empty(ui.FailedCalls());
    }
}
