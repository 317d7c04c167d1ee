using System.Net;
using System.Text.Json.Nodes;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>The worker creates the nightly ledger-reconciliation schedule at start; an operator runs it on demand and reads its reports.</summary>
[Collection(SharedApi.Name)]
public sealed class Reconciliation_Specs(ApiFixture api)
{
    private PaymentsClient Client => api.Client;

    [Fact]
    public async Task RunNow_AsOperator_TheScheduleRunsAndItsReportIsListed()
    {
        var before = await ReportIdsAsync();

        await TriggerAsync();
        var deadline = DateTime.UtcNow + PaymentsClient.Patience;
        var reports = await ReportsAsync();
        while (reports.Count <= before.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            reports = await ReportsAsync();
        }

        var report = reports.First(r => !before.Contains((string)r!["reportId"]!))!;
        Assert.StartsWith("ledger-reconciliation-", (string)report["reportId"]!, StringComparison.Ordinal);
        Assert.NotNull(report["checkedAt"]);
        Assert.NotNull(report["differences"]!.AsArray());
    }

    [Fact]
    public async Task Reports_WithoutOperatorTokenOrWithBadLimit_Refused()
    {
        using var anonymous = await Client.Anonymous.GetAsync(new Uri("/api/reconciliation/reports", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        var problem = await PaymentsClient.AssertProblemAsync(
            await Client.Operator.GetAsync(new Uri("/api/reconciliation/reports?limit=0", UriKind.Relative)), HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["limit"]);
    }

    /// <summary>The worker creates the schedule just after start, asynchronously: until then the trigger is refused with 409.</summary>
    private async Task TriggerAsync()
    {
        var deadline = DateTime.UtcNow + PaymentsClient.Patience;
        while (true)
        {
            using var response = await Client.Operator.PostAsync(new Uri("/api/reconciliation/runs", UriKind.Relative), null);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }
            Assert.True(response.StatusCode == HttpStatusCode.Conflict && DateTime.UtcNow < deadline, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }

    private async Task<JsonArray> ReportsAsync() => (await Client.GetNodeAsync("/api/reconciliation/reports?limit=100")).AsArray();

    private async Task<HashSet<string>> ReportIdsAsync() => (await ReportsAsync()).Select(r => (string)r!["reportId"]!).ToHashSet();
}
