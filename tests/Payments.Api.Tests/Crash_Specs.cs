using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>After the bank's callback was answered 200 the platform owns the outcome: a SIGKILL right then loses nothing.</summary>
public sealed class Crash_Specs : IDisposable
{
    private readonly MerchantEndpoint _merchant = new();
    private readonly string _dataFolder = Path.Combine(Path.GetTempPath(), $"payments-api-crash-{Guid.NewGuid():N}");

    [Fact]
    public async Task KillAfterCallbackAnswered_RestartOnTheSameData_PaymentCompletes()
    {
        string paymentId;
        Shop shop;
        await using (var first = await ApiProcess.StartAsync(_dataFolder))
        {
            using var client = new PaymentsClient(first.BaseAddress);
            shop = await client.NewShopAsync();
            paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;

            await BankCallback_Specs.AssertSuccessAsync(await client.SendCallbackAsync(paymentId, "B-1", 10000));
            await first.KillAsync();
        }

        await using var second = await ApiProcess.StartAsync(_dataFolder);
        using var restarted = new PaymentsClient(second.BaseAddress);
        var payment = await restarted.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE" && (string?)p["notification"] == "DELIVERED");

        Assert.Equal("PAID", (string?)payment["status"]);
        Assert.Single((await restarted.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray());
        Assert.Equal(9940, (long)(await restarted.GetAsync($"/api/merchants/{shop.MerchantId}/account"))["balance"]!);
        Assert.Equal(100, (long)(await restarted.GetAsync($"/api/users/{shop.UserId}/points"))["points"]!);
    }

    public void Dispose()
    {
        _merchant.Dispose();
        if (Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }
}
