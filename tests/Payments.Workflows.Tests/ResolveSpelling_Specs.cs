using Google.Protobuf;
using Payments.Domain;
using Payments.Workflows.Tests.Infrastructure;
using Temporalio.Api.Common.V1;
using Temporalio.Api.Enums.V1;
using Temporalio.Converters;

namespace Payments.Workflows.Tests;

/// <summary>
/// A <c>resolve</c> typed in the Temporal UI must be spelled as the contract spells it: one that cannot be decoded
/// ("retry", "RETRY,REFUND", a number) is dropped by the SDK with a logged warning, and the payment stays SUSPENDED,
/// waiting for a decision spelled right.
/// </summary>
[Collection(WorkflowEnvironmentGroup.Name)]
public sealed class ResolveSpelling_Specs(WorkflowEnvironmentFixture fixture)
{
    private readonly PaymentsWorld _world = fixture.World;

    [Fact]
    public async Task Resolve_MisspelledInTheTemporalUi_IsDroppedAndThePaymentStaysSuspended()
    {
        var payment = await _world.NewPaymentAsync();
        await _world.SetMerchantAsync(payment, PartyStatus.Frozen);
        var handle = await _world.StartCompletionAsync(payment);
        await Eventually.ReturnsAsync(
            () => handle.QueryAsync(wf => wf.Status), status => status.Step == PaymentStep.WaitingForOperator, "the payment to wait for an operator");

        string[] misspelled =
        [
            """{"action":"retry","reason":"lower case"}""",
            """{"action":"RETRY,REFUND","reason":"two at once"}""",
            """{"action":" REFUND","reason":"a blank first"}""",
            """{"action":"Refund","reason":"title case"}""",
            """{"action":1,"reason":"a number"}""",
        ];
        foreach (var json in misspelled)
        {
            await handle.SignalAsync("resolve", [TypedJson(json)]);
        }
        await Eventually.ReturnsAsync(
            async () => (await handle.FetchHistoryAsync()).Events.ToList(),
            events => events.FindLastIndex(e => e.EventType == EventType.WorkflowTaskCompleted)
                > events.FindLastIndex(e => e.EventType == EventType.WorkflowExecutionSignaled),
            "the worker to have processed every signal");

        var status = await handle.QueryAsync(wf => wf.Status);
        Assert.Equal((PaymentStatus.Suspended, PaymentStep.WaitingForOperator, 1), (status.Status, status.Step, status.Round));
        Assert.Equal(PaymentStatus.Suspended, (await _world.ViewAsync(payment)).Status);

        // Still waiting for a decision: the first one spelled right is taken.
        await _world.SetMerchantAsync(payment, PartyStatus.Active);
        await handle.SignalAsync("resolve", [TypedJson("""{"action":"RETRY","reason":"spelled right"}""")]);
        var result = await handle.GetResultAsync();

        Assert.Equal(PaymentStatus.Paid, result.Status);
        Assert.Equal(2, (await handle.QueryAsync(wf => wf.Status)).Round);
    }

    private static RawValue TypedJson(string json) => new(new Payload
    {
        Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
        Data = ByteString.CopyFromUtf8(json),
    });
}
