using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Activities.Accounting;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;

namespace Payments.Api.Accounting;

/// <summary>The ledger (operator): the vouchers posted for a payment.</summary>
internal static class VoucherEndpoints
{
    public static IEndpointRouteBuilder MapVoucherEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/accounting/vouchers", ListAsync).RequireAuthorization(ApiPolicies.Operator).WithTags("Accounting");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<Voucher>>, ValidationProblem>> ListAsync(
        string? paymentId, PaymentQueries queries, CancellationToken cancellationToken)
    {
        if (new FieldErrors().ClientId("paymentId", paymentId).ToProblem() is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok(await queries.ListVouchersAsync(paymentId!, cancellationToken));
    }
}
