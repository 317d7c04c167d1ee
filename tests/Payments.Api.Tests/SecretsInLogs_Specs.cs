using System.Net;
using System.Net.Http.Headers;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>
/// The logs say what happened to which payment, and never hold a credential: not the operator token, the bank secret,
/// a merchant's API key or notify secret, nor any signature sent or received — not even a refused one.
/// </summary>
[Collection(SharedApi.Name)]
public sealed class SecretsInLogs_Specs(ApiFixture api) : IDisposable
{
    private readonly MerchantEndpoint _merchant = new();

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task PaidPaymentWithRefusedRequests_Logs_HoldNoSecretKeyOrSignature()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        var callback = BankSigner.SignedPost("/api/bank/callbacks", PaymentsClient.Callback(paymentId, "B-logs", 10000));
        var callbackSignature = callback.Headers.GetValues("X-Bank-Signature").Single();
        using (var answered = await Client.Anonymous.SendAsync(callback))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        await Client.WaitForPaymentAsync(paymentId, payment => (string?)payment["notification"] == "DELIVERED");
        var refusedSignature = new string('a', 64);
        var forged = BankSigner.SignedPost("/api/bank/callbacks", PaymentsClient.Callback(paymentId, "B-forged", 10000));
        forged.Headers.Remove("X-Bank-Signature");
        forged.Headers.Add("X-Bank-Signature", refusedSignature);
        await PaymentsClient.AssertProblemAsync(await Client.Anonymous.SendAsync(forged), HttpStatusCode.Unauthorized);
        const string WrongToken = "not-a-token-0f9e8d7c";
        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/bank/exceptions", UriKind.Relative));
        wrongToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WrongToken);
        await PaymentsClient.AssertProblemAsync(await Client.Anonymous.SendAsync(wrongToken), HttpStatusCode.Unauthorized);

        var logs = api.Output;

        Assert.Contains($"Payment {paymentId}", logs, StringComparison.Ordinal);
        Assert.Contains("Bank callback refused", logs, StringComparison.Ordinal);
        string[] secrets =
        [
            PaymentsClient.OperatorToken, BankSigner.DevelopmentSecret, shop.ApiKey, shop.NotifySecret, callbackSignature, refusedSignature, WrongToken,
            .. _merchant.Received.Select(notification => notification.Signature!),
        ];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, logs, StringComparison.Ordinal));
    }

    public void Dispose() => _merchant.Dispose();
}
