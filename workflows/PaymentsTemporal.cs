using System.Text.Json;
using Payments.Domain;
using Temporalio.Common;
using Temporalio.Converters;

namespace Payments.Workflows;

/// <summary>The Temporal names of the contract, shared by the workflows, the worker, the API and the tests.</summary>
public static class PaymentsTemporal
{
    public const string TaskQueue = "payments";

    public static readonly SearchAttributeKey<string> MerchantId = SearchAttributeKey.CreateKeyword("MerchantId");

    public static readonly SearchAttributeKey<string> PaymentStatus = SearchAttributeKey.CreateKeyword("PaymentStatus");

    /// <summary>The search attributes the workflows keep current; the server must have them registered (Keyword).</summary>
    public static readonly IReadOnlyList<SearchAttributeKey> SearchAttributes = [MerchantId, PaymentStatus];

    /// <summary>
    /// camelCase JSON with the contract's enum spelling (<c>WAITING_FOR_OPERATOR</c>), so a <c>resolve</c> typed in the
    /// Temporal UI or CLI as <c>{"action":"RETRY","reason":"…"}</c> reads like one sent by the API, and queries read well there.
    /// Enums are read as exactly that spelling: a <c>resolve</c> typed as <c>"retry"</c> or <c>"RETRY,REFUND"</c> cannot be
    /// decoded, so the SDK drops the signal with a logged warning and the payment stays SUSPENDED.
    /// Every client, worker and replayer of these workflows uses it.
    /// </summary>
    public static readonly DataConverter DataConverter = DataConverter.Default with
    {
        PayloadConverter = new DefaultPayloadConverter(new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new WireEnumJsonConverter() },
        }),
    };
}
