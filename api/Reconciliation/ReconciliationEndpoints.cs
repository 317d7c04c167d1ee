using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Activities.Reconciliation;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Workflows;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace Payments.Api.Reconciliation;

/// <summary>The ledger reconciliation (operator): run it now, and read the last reports, newest first, each with what differed.</summary>
internal static class ReconciliationEndpoints
{
    private const int DefaultLimit = 20;

    public static IEndpointRouteBuilder MapReconciliationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/reconciliation/reports", ListAsync).RequireAuthorization(ApiPolicies.Operator).WithTags("Reconciliation");
        app.MapPost("/api/reconciliation/runs", RunNowAsync).RequireAuthorization(ApiPolicies.Operator).WithTags("Reconciliation")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<ReconciliationReport>>, ValidationProblem>> ListAsync(string? limit, PaymentQueries queries, CancellationToken cancellationToken)
    {
        var count = DefaultLimit;
        if (!string.IsNullOrEmpty(limit)
            && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= ReconciliationReportStore.MaxListed))
        {
            return new FieldErrors().Add("limit", $"limit must be an integer within 1..{ReconciliationReportStore.MaxListed}.").ToProblem()!;
        }
        return TypedResults.Ok(await queries.ListReconciliationReportsAsync(count, cancellationToken));
    }

    /// <summary>Triggers the nightly schedule out of turn (skipped if a run is still going, as the schedule's overlap policy says).</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> RunNowAsync(ITemporalClient temporal, CancellationToken cancellationToken)
    {
        try
        {
            await temporal.GetScheduleHandle(LedgerReconciliationWorkflow.ScheduleId).TriggerAsync(new() { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
            return TypedResults.Accepted((string?)null);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return ApiProblems.Conflict($"The {LedgerReconciliationWorkflow.ScheduleId} schedule does not exist yet: the worker creates it when it starts.");
        }
    }
}
