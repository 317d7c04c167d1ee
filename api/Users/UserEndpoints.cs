using Microsoft.AspNetCore.Http.HttpResults;
using Payments.Activities.Merchants;
using Payments.Activities.Points;
using Payments.Api.Auth;
using Payments.Api.Problems;
using Payments.Api.Queries;
using Payments.Domain;

namespace Payments.Api.Users;

public sealed record CreateUserRequest(string? UserId, string? Name);

/// <summary>Users, the shoppers (operator): create, freeze, unfreeze, read the points account.</summary>
internal static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization(ApiPolicies.Operator).WithTags("Users");
        users.MapPost("", CreateAsync).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapPost("/{userId}/freeze", (string userId, UserStore store, CancellationToken ct) => SetStatusAsync(userId, PartyStatus.Frozen, store, ct))
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{userId}/unfreeze", (string userId, UserStore store, CancellationToken ct) => SetStatusAsync(userId, PartyStatus.Active, store, ct))
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapGet("/{userId}/points", GetPointsAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<User>, ValidationProblem, ProblemHttpResult>> CreateAsync(CreateUserRequest request, UserStore store, CancellationToken cancellationToken)
    {
        if (new FieldErrors().ClientId("userId", request.UserId).Text("name", request.Name, FieldErrors.MaxNameLength).ToProblem() is { } problem)
        {
            return problem;
        }
        return await store.CreateAsync(request.UserId!, request.Name!, cancellationToken) is { } user
            ? TypedResults.Created($"/api/users/{user.UserId}", user)
            : ApiProblems.Conflict($"User {request.UserId} already exists.");
    }

    private static async Task<Results<Ok<User>, ProblemHttpResult>> SetStatusAsync(string userId, PartyStatus status, UserStore store, CancellationToken cancellationToken) =>
        await store.SetStatusAsync(userId, status, cancellationToken) is { } user
            ? TypedResults.Ok(user)
            : ApiProblems.NotFound($"User {userId} does not exist.");

    private static async Task<Results<Ok<PointsAccount>, ProblemHttpResult>> GetPointsAsync(string userId, PaymentQueries queries, CancellationToken cancellationToken) =>
        await queries.GetPointsAccountAsync(userId, cancellationToken) is { } account
            ? TypedResults.Ok(account)
            : ApiProblems.NotFound($"User {userId} does not exist.");
}
