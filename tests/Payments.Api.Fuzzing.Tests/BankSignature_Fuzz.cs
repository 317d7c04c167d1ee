using System.Net;
using System.Text;
using Payments.Api.Fuzzing.Tests.Support;
using Payments.Api.Tests.Support;
using Payments.Domain;
using Payments.Workflows;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>
/// A callback whose signature or timestamp is not the bank's is a 401 that changes nothing; the bank's own callback
/// replayed within the 300 s window is answered 200 each time and pays once.
/// </summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class BankSignature_Fuzz(FuzzedPlatform platform)
{
    [Fuzz]
    public async Task Callback_SpoiledSignatureOrTimestamp_Answers401AndChangesNothing(SignatureCase fuzzed)
    {
        var body = Endpoints.BankCallback.ValidBody!(platform).ToJsonString();
        var other = Endpoints.BankCallback.ValidBody!(platform).ToJsonString();
        var (timestamp, signature) = fuzzed.Headers(body, other);

        var refusal = await platform.RefusesAsync(BankRequests.WithHeaders(Encoding.UTF8.GetBytes(body), timestamp, signature), fuzzed.ToString());

        Assert.True(refusal.Status == HttpStatusCode.Unauthorized, refusal.Said);
    }

    [Fact]
    public async Task Callback_ReplayedWithinTheWindow_Answers200EachTimeAndPaysOnce()
    {
        var seeded = await platform.SeedAsync();
        var body = Encoding.UTF8.GetBytes(PaymentsClient.Callback(seeded.PaymentId, "B-replayed", 10000));
        var original = BankRequests.Callback(body);
        var (timestamp, signature) = (original.Headers.GetValues("X-Bank-Timestamp").Single(), original.Headers.GetValues("X-Bank-Signature").Single());
        original.Dispose();

        for (var replay = 0; replay < 5; replay++)
        {
            using var response = await platform.Client.Anonymous.SendAsync(BankRequests.WithHeaders(body, timestamp, signature));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var completion = platform.Temporal.GetWorkflowHandle<PaymentCompletionWorkflow>(Identifiers.CompletionWorkflowId(seeded.PaymentId));
        Assert.Equal(PaymentStatus.Paid, (await completion.GetResultAsync<PaymentCompletionResult>()).Status);
        // The notification to the dead URL gives up after its one slot: then nothing of this payment moves any more.
        await platform.Temporal.GetWorkflowHandle(Identifiers.NotificationWorkflowId(seeded.PaymentId)).GetResultAsync();
        var runs = new List<string>();
        await foreach (var execution in platform.Temporal.ListWorkflowsAsync(string.Empty))
        {
            if (execution.Id == completion.Id)
            {
                runs.Add(execution.RunId);
            }
        }
        Assert.Single(runs);
        var account = await platform.Client.GetAsync($"/api/merchants/{seeded.Shop.MerchantId}/account");
        Assert.Equal((9940L, 0L), ((long)account["balance"]!, (long)account["pendingCredit"]!));
        var vouchers = await platform.Client.GetNodeAsync($"/api/accounting/vouchers?paymentId={seeded.PaymentId}");
        Assert.Single(vouchers.AsArray());
    }
}
