using Microsoft.Playwright;
using Payments.Api.Tests;
using Payments.Api.Tests.Support;
using Payments.DevServer.WebUi;
using Temporalio.Client;
using Temporalio.Worker;

namespace Payments.Ui.Tests.Support;

/// <summary>
/// The run command as an operator starts it (API, embedded PostgreSQL and Temporal, the Temporal UI on its own port),
/// a worker of this test project's workflows on that Temporal, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class UiFixture : IAsyncLifetime
{
    public const string TestTaskQueue = "ui-tests";
    private const string ChromiumPath = "/usr/bin/chromium";
    private readonly TaskCompletionSource _stopWorker = new();
    private ApiProcess? _api;
    private IPlaywright? _playwright;
    private Task? _worker;

    public PaymentsClient Client { get; private set; } = null!;

    internal ApiProcess Api => _api!;

    public Uri UiAddress { get; private set; } = null!;

    public ITemporalClient Temporal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public MerchantEndpoint Merchant { get; } = new();

    /// <summary>A merchant that answers 500: the first notification attempt fails, so the payment's <c>notify-{id}</c> starts.</summary>
    public MerchantEndpoint BusyMerchant { get; } = new() { Answer = (System.Net.HttpStatusCode.InternalServerError, "busy") };

    public async Task InitializeAsync()
    {
        var ui = Path.Combine(AppContext.BaseDirectory, "temporal-ui", "index.html");
        Assert.True(File.Exists(ui), $"{TemporalWebUi.MissingMessage} Missing: {ui}");
        Assert.True(File.Exists(ChromiumPath), $"Debian's Chromium is missing at {ChromiumPath}: apt-get install -y chromium (.ci/run does it).");

        var temporalPort = ApiProcess.FreePort();
        var uiPort = ApiProcess.FreePort();
        _api = await ApiProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Embedded__TemporalPort"] = $"{temporalPort}",
            ["Embedded__UiPort"] = $"{uiPort}",
            // A second, JSON console sink: each event with its properties (PaymentId), for the tests that read the log.
            ["Serilog__WriteTo__0__Name"] = "Console",
            ["Serilog__WriteTo__0__Args__formatter"] = "Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact",
        });
        Client = new PaymentsClient(_api.BaseAddress);
        UiAddress = new Uri($"http://127.0.0.1:{uiPort}");

        Temporal = await TemporalClient.ConnectAsync(new($"127.0.0.1:{temporalPort}"));
        var worker = new TemporalWorker(Temporal, new TemporalWorkerOptions(TestTaskQueue).AddWorkflow<ParkedWorkflow>());
        _worker = worker.ExecuteAsync(() => _stopWorker.Task);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-extensions"],
        });
        // A loaded CI machine renders slowly: patience, not a timing assertion.
        Assertions.SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        _stopWorker.TrySetResult();
        if (_worker is not null)
        {
            await _worker;
        }
        Client?.Dispose();
        Merchant.Dispose();
        BusyMerchant.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    /// <summary>
    /// A merchant and a user; the merchant frozen when asked, so the payment's TCC try is refused and it waits SUSPENDED;
    /// busy when asked, so its notification goes on in a workflow of its own.
    /// </summary>
    public async Task<(Shop Shop, string PaymentId)> PayAsync(bool frozenMerchant, bool busyMerchant = false)
    {
        var shop = await Client.NewShopAsync();
        var notifyUrl = (busyMerchant ? BusyMerchant : Merchant).NotifyUrl;
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, notifyUrl))["paymentId"]!;
        if (frozenMerchant)
        {
            await OperatorPostAsync($"/api/merchants/{shop.MerchantId}/freeze");
        }
        using var callback = await Client.SendCallbackAsync(paymentId, $"B-{paymentId}", 10000);
        Assert.True(callback.IsSuccessStatusCode, $"bank callback: {callback.StatusCode}");
        var expected = frozenMerchant ? "SUSPENDED" : "PAID";
        var payment = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == expected && (frozenMerchant || (string?)p["step"] == "DONE"));
        Assert.Equal(expected, (string?)payment["status"]);
        return (shop, paymentId);
    }

    public async Task OperatorPostAsync(string path)
    {
        using var response = await Client.Operator.PostAsync(new Uri(path, UriKind.Relative), null);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {response.StatusCode}");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedUi : ICollectionFixture<UiFixture>
{
    public const string Name = "ui";
}
