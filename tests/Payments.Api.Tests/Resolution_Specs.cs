using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>A payment whose TCC try was refused waits SUSPENDED for an operator: RETRY pays it, REFUND returns the money; one decision only.</summary>
[Collection(SharedApi.Name)]
public sealed class Resolution_Specs(ApiFixture api) : IDisposable
{
    private readonly MerchantEndpoint _merchant = new();

    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task Retry_AfterTheFrozenMerchantIsUnfrozen_PaysThePayment()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await PostAsync($"/api/merchants/{shop.MerchantId}/freeze");

        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        var suspended = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "SUSPENDED");
        var listed = await Client.GetNodeAsync($"/api/payments?status=SUSPENDED&merchantId={shop.MerchantId}");
        await PostAsync($"/api/merchants/{shop.MerchantId}/unfreeze");
        using var accepted = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "RETRY", reason = "merchant unfrozen" });
        var paid = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE" && (string?)p["notification"] == "DELIVERED");

        Assert.Equal("SUSPENDED", (string?)suspended["status"]);
        Assert.Equal("CANCELLED", (string?)suspended["fundAccount"]);
        Assert.Equal(paymentId, (string?)Assert.Single(listed["items"]!.AsArray())!["paymentId"]);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("PAID", (string?)paid["status"]);
        Assert.Equal(9940, (long)(await Client.GetAsync($"/api/merchants/{shop.MerchantId}/account"))["balance"]!);
        Assert.Single((await Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray());
        Assert.Equal("PAID", (string?)JsonNode.Parse(Assert.Single(_merchant.Received).Body)!["status"]);
    }

    [Fact]
    public async Task Refund_ForAFrozenUser_RefundsAtTheBankOnceAndNotifiesRefunded()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await PostAsync($"/api/users/{shop.UserId}/freeze");
        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "SUSPENDED");

        using var accepted = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = "user frozen" });
        var decided = await Client.GetAsync($"/api/payments/{paymentId}");
        var refunded = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE" && (string?)p["notification"] == "DELIVERED");

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.NotEqual("SUSPENDED", (string?)decided["status"]);
        Assert.Null((string?)decided["lastError"]);
        Assert.Equal("REFUNDED", (string?)refunded["status"]);
        var voucher = Assert.Single((await Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={paymentId}")).AsArray())!;
        var lines = voucher["lines"]!.AsArray().Select(l => ((string)l!["account"]!, (long)l["debit"]!, (long)l["credit"]!)).ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal(lines.Sum(l => l.Item2), lines.Sum(l => l.Item3));
        Assert.Equal(2, lines.Count(l => l.Item1 == $"2241 refund-payable:{shop.UserId}"));
        var account = await Client.GetAsync($"/api/merchants/{shop.MerchantId}/account");
        Assert.Equal((0L, 0L), ((long)account["balance"]!, (long)account["pendingCredit"]!));
        var bankRefunds = (await Client.GetNodeAsync("/simulator/bank/refunds")).AsArray().Where(r => (string?)r!["paymentId"] == paymentId).ToList();
        Assert.Equal(10000, (long)Assert.Single(bankRefunds)!["amount"]!);
        Assert.Equal("REFUNDED", (string?)JsonNode.Parse(Assert.Single(_merchant.Received).Body)!["status"]);
    }

    [Fact]
    public async Task Resolve_Twice_SecondDecisionAnswers409()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await PostAsync($"/api/users/{shop.UserId}/freeze");
        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "SUSPENDED");

        using var first = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = "user frozen" });
        var second = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "RETRY", reason = "changed my mind" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await PaymentsClient.AssertProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Equal("REFUNDED", (string?)(await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE"))["status"]);
    }

    [Fact]
    public async Task Refund_RefusedByTheBankThenDecidedAgain_SuspendedWithLastErrorThenRefunded()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await PostAsync($"/api/users/{shop.UserId}/freeze");
        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "SUSPENDED");
        using (var refusal = await Client.Anonymous.PostAsJsonAsync("/simulator/bank/refunds/refusals", new { paymentId, status = 422, reason = "account closed" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, refusal.StatusCode);
        }

        using var first = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = "user frozen" });
        var firstAnswer = await first.Content.ReadFromJsonAsync<JsonObject>();
        var refused = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "SUSPENDED" && p["lastError"] is not null);
        var listed = await Client.GetNodeAsync($"/api/payments?status=SUSPENDED&merchantId={shop.MerchantId}");
        using var second = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = "again" });
        var refunded = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE");

        Assert.Equal((HttpStatusCode.Accepted, "PROCESSING"), (first.StatusCode, (string?)firstAnswer!["status"]));
        Assert.Contains("account closed", (string?)refused["lastError"], StringComparison.Ordinal);
        Assert.Equal(paymentId, (string?)Assert.Single(listed["items"]!.AsArray())!["paymentId"]);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(("REFUNDED", null), ((string?)refunded["status"], (string?)refunded["lastError"]));
        var resolutions = refunded["resolutions"]!.AsArray();
        Assert.Equal(["user frozen", "again"], resolutions.Select(r => (string?)r!["reason"]));
        Assert.All(resolutions, r => Assert.Equal(("REFUND", "API"), ((string?)r!["action"], (string?)r["source"])));
    }

    [Fact]
    public async Task Resolve_TenConcurrentDecisions_One202NineConflicts()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;
        await PostAsync($"/api/users/{shop.UserId}/freeze");
        await BankCallback_Specs.AssertSuccessAsync(await Client.SendCallbackAsync(paymentId, "B-1", 10000));
        await Client.WaitForPaymentAsync(paymentId, p => (string?)p["status"] == "SUSPENDED");

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = $"operator {i}" });
            return response.StatusCode;
        }));
        var refunded = await Client.WaitForPaymentAsync(paymentId, p => (string?)p["step"] == "DONE");

        Assert.Equal(1, answers.Count(status => status == HttpStatusCode.Accepted));
        Assert.Equal(9, answers.Count(status => status == HttpStatusCode.Conflict));
        Assert.Equal("REFUNDED", (string?)refunded["status"]);
        Assert.Single(refunded["resolutions"]!.AsArray());
    }

    [Fact]
    public async Task Resolve_PaymentNotSuspended_Answers409AndChangesNothing()
    {
        var shop = await Client.NewShopAsync();
        var paymentId = (string)(await PaymentsClient.CreatePaymentAsync(shop, 10000, _merchant.NotifyUrl))["paymentId"]!;

        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync($"/api/payments/{paymentId}/resolution", new { action = "REFUND", reason = "why not" }), HttpStatusCode.Conflict);
        await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/payments/pay_unknown/resolution", new { action = "REFUND", reason = "why not" }), HttpStatusCode.NotFound);

        Assert.Equal("CREATED", (string?)(await Client.GetAsync($"/api/payments/{paymentId}"))["status"]);
    }

    [Fact]
    public async Task Resolve_InvalidDecision_Answers400NamingTheFields()
    {
        var problem = await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/payments/pay_unknown/resolution", new { reason = "" }), HttpStatusCode.BadRequest);
        var unknownAction = await PaymentsClient.AssertProblemAsync(
            await Client.Operator.PostAsJsonAsync("/api/payments/pay_unknown/resolution", new { action = "WAIT", reason = "x" }), HttpStatusCode.BadRequest);

        Assert.Equal(["action", "reason"], problem["errors"]!.AsObject().Select(e => e.Key).Order());
        Assert.Equal(["action"], unknownAction["errors"]!.AsObject().Select(e => e.Key));
    }

    public void Dispose() => _merchant.Dispose();

    private async Task PostAsync(string path)
    {
        using var response = await Client.Operator.PostAsync(new Uri(path, UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
