using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Activities.Funds;
using Payments.Activities.Merchants;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Domain;

namespace Payments.Api.Merchants;

public sealed record CreateMerchantRequest(string? MerchantId, string? Name, string? Currency, int? FeeBps);

public sealed record MerchantResponse(string MerchantId, string Name, string Currency, int FeeBps, PartyStatus Status)
{
    public static MerchantResponse From(Merchant merchant) =>
        new(merchant.MerchantId, merchant.Name, merchant.Currency, merchant.FeeBps, merchant.Status);
}

/// <summary>The only answer that ever shows a merchant's API key and notify secret.</summary>
public sealed record CreatedMerchantResponse(string MerchantId, string Name, string Currency, int FeeBps, PartyStatus Status, string ApiKey, string NotifySecret);

/// <summary>Merchants (operator): create, freeze, unfreeze, read the fund account.</summary>
internal static class MerchantEndpoints
{
    public static IEndpointRouteBuilder MapMerchantEndpoints(this IEndpointRouteBuilder app)
    {
        var merchants = app.MapGroup("/api/merchants").RequireAuthorization(ApiPolicies.Operator).WithTags("Merchants");
        merchants.MapPost("", CreateAsync).ProducesProblem(StatusCodes.Status409Conflict);
        merchants.MapPost("/{merchantId}/freeze", (string merchantId, MerchantStore store, CancellationToken ct) => SetStatusAsync(merchantId, PartyStatus.Frozen, store, ct))
            .ProducesProblem(StatusCodes.Status404NotFound);
        merchants.MapPost("/{merchantId}/unfreeze", (string merchantId, MerchantStore store, CancellationToken ct) => SetStatusAsync(merchantId, PartyStatus.Active, store, ct))
            .ProducesProblem(StatusCodes.Status404NotFound);
        merchants.MapGet("/{merchantId}/account", GetAccountAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<CreatedMerchantResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(CreateMerchantRequest request, MerchantStore store, Currencies currencies, CancellationToken cancellationToken)
    {
        var invalid = new FieldErrors()
            .ClientId("merchantId", request.MerchantId)
            .Text("name", request.Name, FieldErrors.MaxNameLength)
            .Currency("currency", request.Currency, currencies);
        if (request.FeeBps is { } feeBps && !Money.IsValidFeeBps(feeBps))
        {
            invalid.Add("feeBps", $"feeBps must be within 0..{Money.MaxFeeBps}.");
        }
        if (invalid.ToProblem() is { } problem)
        {
            return problem;
        }
        var created = await store.CreateAsync(
            new NewMerchant(request.MerchantId!, request.Name!, request.Currency!, request.FeeBps ?? Money.DefaultFeeBps), cancellationToken);
        if (created is null)
        {
            return ApiProblems.Conflict($"Merchant {request.MerchantId} already exists.");
        }
        var merchant = created.Merchant;
        return TypedResults.Created(
            $"/api/merchants/{merchant.MerchantId}",
            new CreatedMerchantResponse(merchant.MerchantId, merchant.Name, merchant.Currency, merchant.FeeBps, merchant.Status, created.ApiKey, created.NotifySecret));
    }

    private static async Task<Results<Ok<MerchantResponse>, ProblemHttpResult>> SetStatusAsync(string merchantId, PartyStatus status, MerchantStore store, CancellationToken cancellationToken) =>
        await store.SetStatusAsync(merchantId, status, cancellationToken) is { } merchant
            ? TypedResults.Ok(MerchantResponse.From(merchant))
            : ApiProblems.NotFound($"Merchant {merchantId} does not exist.");

    private static async Task<Results<Ok<FundAccount>, ProblemHttpResult>> GetAccountAsync(string merchantId, PaymentQueries queries, CancellationToken cancellationToken) =>
        await queries.GetFundAccountAsync(merchantId, cancellationToken) is { } account
            ? TypedResults.Ok(account)
            : ApiProblems.NotFound($"Merchant {merchantId} does not exist.");
}
