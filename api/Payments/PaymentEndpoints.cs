using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Activities.Orders;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Api.Temporal;
using Payments.Domain;

namespace Payments.Api.Payments;

/// <summary>Payment orders: created by a merchant, read by the operator or the owner, listed by the operator.</summary>
internal static class PaymentEndpoints
{
    private const int MaxNotifyUrlLength = 2048;
    private const int MaxSubjectLength = 256;
    private const int DefaultLimit = 50;

    public static IEndpointRouteBuilder MapPaymentEndpoints(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/payments").WithTags("Payments");
        payments.MapPost("", CreateAsync).RequireAuthorization(ApiPolicies.Merchant)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        payments.MapGet("", ListAsync).RequireAuthorization(ApiPolicies.Operator);
        payments.MapGet("/{paymentId}", GetAsync).RequireAuthorization(ApiPolicies.OperatorOrMerchant).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGet("/api/merchant/orders/{merchantOrderNo}", GetByMerchantOrderNoAsync).RequireAuthorization(ApiPolicies.Merchant).WithTags("Payments")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<PaymentView>, Ok<PaymentView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreatePaymentRequest request,
        ClaimsPrincipal user,
        PaymentOrderStore store,
        PaymentQueries queries,
        PaymentWorkflows workflows,
        Currencies currencies,
        CancellationToken cancellationToken)
    {
        var invalid = new FieldErrors()
            .ClientId("merchantOrderNo", request.MerchantOrderNo)
            .ClientId("userId", request.UserId)
            .Amount("amount", request.Amount)
            .Currency("currency", request.Currency, currencies)
            .HttpUrl("notifyUrl", request.NotifyUrl, MaxNotifyUrlLength)
            .Text("subject", request.Subject, MaxSubjectLength, required: false);
        if (invalid.ToProblem() is { } problem)
        {
            return problem;
        }
        var result = await store.CreateAsync(
            new NewPaymentOrder(user.MerchantId()!, request.MerchantOrderNo!, request.UserId!, request.Amount!.Value, request.Currency!, request.NotifyUrl!, request.Subject),
            cancellationToken);
        if (result.Outcome is CreatePaymentOutcome.Created or CreatePaymentOutcome.Existing
            && result.Order!.Status is PaymentStatus.Created or PaymentStatus.Processing)
        {
            // Before the 201; on the 200 path it repairs a workflow a crash kept from starting (a failed start is 503, the order stays).
            await workflows.StartCompletionAsync(result.Order.PaymentId, result.Order.MerchantId, cancellationToken);
        }
        // The answer is the one payment view, read after the insert (and the workflow's start).
        var view = result.Outcome is CreatePaymentOutcome.Created or CreatePaymentOutcome.Existing
            ? await queries.GetAsync(result.Order!.PaymentId, cancellationToken) : null;
        return result.Outcome switch
        {
            CreatePaymentOutcome.Created => TypedResults.Created($"/api/payments/{view!.PaymentId}", view),
            CreatePaymentOutcome.Existing => TypedResults.Ok(view!),
            CreatePaymentOutcome.Conflict => ApiProblems.Conflict(
                $"merchantOrderNo {request.MerchantOrderNo} was already used for payment {result.Order!.PaymentId} with other fields."),
            _ => ApiProblems.Unprocessable(result.Refusal ?? "The payment was refused."),
        };
    }

    private static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> GetAsync(string paymentId, ClaimsPrincipal user, PaymentReader reader, CancellationToken cancellationToken)
    {
        var payment = await reader.GetAsync(paymentId, cancellationToken);
        return payment is null ? ApiProblems.NotFound($"Payment {paymentId} does not exist.")
            : !user.MayRead(payment.MerchantId) ? ApiProblems.Forbidden($"Payment {paymentId} belongs to another merchant.")
            : TypedResults.Ok(payment);
    }

    private static async Task<Results<Ok<PaymentView>, ProblemHttpResult>> GetByMerchantOrderNoAsync(string merchantOrderNo, ClaimsPrincipal user, PaymentReader reader, CancellationToken cancellationToken) =>
        await reader.GetByMerchantOrderNoAsync(user.MerchantId()!, merchantOrderNo, cancellationToken) is { } payment
            ? TypedResults.Ok(payment)
            : ApiProblems.NotFound($"Order {merchantOrderNo} does not exist.");

    private static async Task<Results<Ok<PaymentPage>, ValidationProblem>> ListAsync(
        string? status, string? merchantId, string? limit, string? cursor, PaymentQueries queries, CancellationToken cancellationToken)
    {
        // An empty parameter (?status=&merchantId=) filters nothing, like a missing one.
        (status, merchantId, limit) = (NullIfEmpty(status), NullIfEmpty(merchantId), NullIfEmpty(limit));
        var invalid = new FieldErrors();
        PaymentStatus? statusFilter = null;
        if (status is not null)
        {
            if (WireName.TryParse<PaymentStatus>(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                invalid.Add("status", $"status must be one of {string.Join(", ", Enum.GetValues<PaymentStatus>().Select(WireName.Of))}.");
            }
        }
        if (merchantId is not null)
        {
            invalid.ClientId("merchantId", merchantId);
        }
        var pageSize = DefaultLimit;
        if (limit is not null && !(int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize is >= 1 and <= PaymentListQuery.MaxLimit))
        {
            invalid.Add("limit", $"limit must be an integer within 1..{PaymentListQuery.MaxLimit}.");
        }
        if (!PaymentQueries.TryParseCursor(cursor, out _))
        {
            invalid.Add("cursor", "cursor must be the nextCursor of a previous page.");
        }
        if (invalid.ToProblem() is { } problem)
        {
            return problem;
        }
        return TypedResults.Ok(await queries.ListAsync(new PaymentListQuery(statusFilter, merchantId, pageSize, cursor), cancellationToken));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
