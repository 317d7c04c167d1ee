using System.Globalization;
using Payments.Activities.Reconciliation;
using Payments.Api.Auth;
using Payments.Api.Problems;

namespace Payments.Api.Reconciliation;

/// <summary>The ledger reconciliation (operator): the last reports, newest first, each with what differed.</summary>
internal static class ReconciliationEndpoints
{
    private const int DefaultLimit = 20;

    public static IEndpointRouteBuilder MapReconciliationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reconciliation/reports", ListAsync).RequireAuthorization(ApiPolicies.Operator).WithTags("Reconciliation");
        return app;
    }

    private static async Task<IResult> ListAsync(string? limit, ReconciliationReportStore reports, CancellationToken cancellationToken)
    {
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= ReconciliationReportStore.MaxListed))
        {
            return new FieldErrors().Add("limit", $"limit must be an integer within 1..{ReconciliationReportStore.MaxListed}.").ToProblem()!;
        }
        return TypedResults.Ok(await reports.ListRecentAsync(count, cancellationToken));
    }
}
