using System.Net;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>
/// Every line logged about a payment carries its id as <c>PaymentId</c>: the API's request handling and the worker's
/// workflows and activities alike (the worker runs in the API process here, with the same logging set-up as the
/// standalone worker). The process writes its events as JSON too, through the <c>Serilog</c> section, and the test reads them back.
/// </summary>
public sealed class PaymentIdInLogs_Specs : IAsyncLifetime, IDisposable
{
    private readonly MerchantEndpoint _merchant = new();
    private ApiProcess _api = null!;

    public async Task InitializeAsync() => _api = await ApiProcess.StartAsync(settings: new Dictionary<string, string>
    {
        ["Serilog__WriteTo__0__Name"] = "Console",
        ["Serilog__WriteTo__0__Args__formatter__type"] = "Serilog.Formatting.Json.JsonFormatter, Serilog",
        ["Serilog__WriteTo__0__Args__formatter__renderMessage"] = "true",
        // Debug: the activities' and the workflows' quieter lines count too.
        ["Serilog__MinimumLevel__Default"] = "Debug",
    });

    [Fact]
    public async Task PaidPayment_EveryLineAboutIt_CarriesItsPaymentId()
    {
        using var client = new PaymentsClient(_api.BaseAddress);
        var shop = await client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        using (var callback = await client.SendCallbackAsync(paymentId, "B-logged", 10000))
        {
            Assert.Equal(HttpStatusCode.OK, callback.StatusCode);
        }
        await client.WaitForPaymentAsync(paymentId, payment => (string?)payment["notification"] == "DELIVERED");
        await client.GetAsync($"/api/payments/{paymentId}/notification");

        var events = _api.Output.Split('\n')
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonNode.Parse(line)!.AsObject())
            .ToList();
        var aboutThePayment = events.Where(logEvent => logEvent.ToJsonString().Contains(paymentId, StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(aboutThePayment);
        Assert.All(aboutThePayment, logEvent => Assert.True(
            (string?)logEvent["Properties"]?["PaymentId"] == paymentId, $"A line about {paymentId} without its PaymentId: {logEvent.ToJsonString()}"));
        string[] sources = [.. aboutThePayment.Select(logEvent => (string?)logEvent["Properties"]?["SourceContext"] ?? "").Distinct()];
        Assert.Contains(sources, source => source.StartsWith("Payments.Api.", StringComparison.Ordinal));
        Assert.Contains(sources, source => source.StartsWith("Payments.Activities.", StringComparison.Ordinal));
        // The activity scope, not the message, brought the id: a line whose template names no payment still has it.
        Assert.Contains(aboutThePayment, logEvent => (string?)logEvent["Properties"]?["WorkflowId"] == $"payment-{paymentId}");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _merchant.Dispose();
}
