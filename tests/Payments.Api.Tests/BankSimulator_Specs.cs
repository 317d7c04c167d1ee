using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>The embedded bank takes signed refund requests once per refundId.</summary>
[Collection(SharedApi.Name)]
public sealed class BankSimulator_Specs(ApiFixture api)
{
    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task Refund_SameRefundIdAgain_AnswersTheSameRefundAndKeepsOne()
    {
        var refundId = PaymentsClient.Unique("rfd");
        var body = Refund(refundId, 10000);

        using var first = await Client.Anonymous.SendAsync(BankSigner.SignedPost("/simulator/bank/refunds", body));
        using var again = await Client.Anonymous.SendAsync(BankSigner.SignedPost("/simulator/bank/refunds", body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(refundId, (string?)(await again.Content.ReadFromJsonAsync<JsonObject>())!["refundId"]);
        Assert.Single((await Client.GetNodeAsync("/simulator/bank/refunds")).AsArray(), r => (string?)r!["refundId"] == refundId);
    }

    [Fact]
    public async Task Refund_SameRefundIdOtherAmount_Answers409()
    {
        var refundId = PaymentsClient.Unique("rfd");
        (await Client.Anonymous.SendAsync(BankSigner.SignedPost("/simulator/bank/refunds", Refund(refundId, 10000)))).Dispose();

        await PaymentsClient.AssertProblemAsync(
            await Client.Anonymous.SendAsync(BankSigner.SignedPost("/simulator/bank/refunds", Refund(refundId, 1))), HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Refund_BadSignature_Answers401AndRecordsNothing()
    {
        var refundId = PaymentsClient.Unique("rfd");

        await PaymentsClient.AssertProblemAsync(
            await Client.Anonymous.SendAsync(BankSigner.SignedPost("/simulator/bank/refunds", Refund(refundId, 10000), secret: "forged")), HttpStatusCode.Unauthorized);

        Assert.DoesNotContain((await Client.GetNodeAsync("/simulator/bank/refunds")).AsArray(), r => (string?)r!["refundId"] == refundId);
    }

    private static string Refund(string refundId, long amount) => new JsonObject
    {
        ["paymentId"] = "pay_x",
        ["refundId"] = refundId,
        ["bankTxnId"] = "B-1",
        ["amount"] = amount,
        ["currency"] = "CNY",
    }.ToJsonString();
}
