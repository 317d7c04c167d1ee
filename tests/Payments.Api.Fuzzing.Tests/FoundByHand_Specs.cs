using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Payments.Api.Fuzzing.Tests.Support;
using Payments.Api.Tests.Support;

namespace Payments.Api.Fuzzing.Tests;

/// <summary>
/// The bad input found by hand before the fuzzer existed, each kept as an example of its kind: a NUL that PostgreSQL
/// refuses (it answered 503), enums parsed loosely (a resolution "RETRY,REFUND" was taken as REFUND), and a callback
/// taken as text/plain.
/// </summary>
[Collection(FuzzedPlatformGroup.Name)]
public sealed class FoundByHand_Specs(FuzzedPlatform platform)
{
    [Theory]
    [InlineData("POST /api/merchants", "name")]
    [InlineData("POST /api/users", "name")]
    [InlineData("POST /api/payments", "subject")]
    [InlineData("POST /api/payments", "notifyUrl")]
    [InlineData("POST /api/payments/{id}/resolution", "reason")]
    public async Task TextWithNul_Answers400NamingTheFieldNot503(string endpointName, string field)
    {
        var endpoint = Endpoints.WithJsonBody.Single(candidate => candidate.Name == endpointName);
        var body = endpoint.ValidBody!(platform);
        body[field] = (string)body[field]! + "\u0000";

        var refusal = await platform.RefusesAsync(endpoint.Request(platform, body.ToJsonString()), $"{field} with NUL");

        Assert.True(refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.SequenceEqual([field]), refusal.Said);
    }

    [Theory]
    [InlineData("success")]
    [InlineData(" SUCCESS")]
    [InlineData("Failed")]
    [InlineData("SUCCESS,FAILED")]
    [InlineData("FAILED, SUCCESS")]
    [InlineData("0")]
    public async Task Callback_ResultNotSpelledAsTheContract_Answers400NamingResult(string result)
    {
        var body = Endpoints.BankCallback.ValidBody!(platform);
        body["result"] = result;

        var refusal = await platform.RefusesAsync(Endpoints.BankCallback.Request(platform, body.ToJsonString()), $"result {result}");

        Assert.True(refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.SequenceEqual(["result"]), refusal.Said);
        Assert.Contains("SUCCESS, FAILED", (string)refusal.Problem["errors"]!["result"]![0]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RETRY,REFUND")]
    [InlineData("retry")]
    [InlineData("Refund")]
    [InlineData("REFUND ")]
    [InlineData("1")]
    public async Task Resolution_ActionNotSpelledAsTheContract_Answers400NamingAction(string action)
    {
        var request = Endpoints.Resolve.Request(platform, new JsonObject { ["action"] = action, ["reason"] = "fuzzing" }.ToJsonString());

        var refusal = await platform.RefusesAsync(request, $"action {action}");

        Assert.True(refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.SequenceEqual(["action"]), refusal.Said);
    }

    [Fact]
    public async Task Resolution_ActionAsANumber_Answers400NamingAction()
    {
        var refusal = await platform.RefusesAsync(Endpoints.Resolve.Request(platform, """{"action":1,"reason":"fuzzing"}"""), "action 1");

        Assert.True(refusal.Status == HttpStatusCode.BadRequest && refusal.Fields.SequenceEqual(["action"]), refusal.Said);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task Callback_NotApplicationJson_Answers415EvenWhenSignedRight(string? contentType)
    {
        var request = BankRequests.Callback(Encoding.UTF8.GetBytes(PaymentsClient.Callback(platform.Owner.PaymentId, "B-text", 10000)));
        request.Content!.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);

        var refusal = await platform.RefusesAsync(request, $"callback as {contentType ?? "no content type"}");

        Assert.True(refusal.Status == HttpStatusCode.UnsupportedMediaType, refusal.Said);
    }

    [Fact]
    public async Task Callback_ApplicationJsonWithCharset_IsTakenAsJson()
    {
        var seeded = await platform.SeedAsync();
        var request = BankRequests.Callback(Encoding.UTF8.GetBytes(PaymentsClient.Callback(seeded.PaymentId, "B-charset", 10000, result: "FAILED")));
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");

        using var response = await platform.Client.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await platform.Temporal.GetWorkflowHandle($"payment-{seeded.PaymentId}").GetResultAsync();
    }
}
