using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Payments.Api.Tests.Support;

namespace Payments.Api.Tests;

/// <summary>
/// <c>/openapi/v1.json</c> describes the contract (<c>docs/api-contract.md</c>, the shared contract checked in so a clone tests against it): every route the contract names, with
/// its credentials and every status code the contract gives it; <c>/docs</c> serves the page to browse it.
/// </summary>
[Collection(SharedApi.Name)]
public sealed partial class OpenApiDocument_Specs(ApiFixture api)
{
    private const string Operator = "operator";
    private const string Merchant = "merchant";
    private const string Bank = "bank";

    /// <summary>
    /// Read from the contract, section by section: the statuses each endpoint's text names, and from "General" the ones every
    /// endpoint of its kind can answer (400 and 413 for a JSON body, 401 for credentials, 403 for a role that may not, 404
    /// for an unknown id in the path). The test checks below that these routes are exactly the ones the contract names.
    /// </summary>
    private static readonly Dictionary<string, (string[] Credentials, int[] Statuses)> Contract = new()
    {
        // "Merchants and users (operator)"
        ["POST /api/merchants"] = ([Operator], [201, 400, 401, 403, 409, 413]),
        ["POST /api/merchants/{merchantId}/freeze"] = ([Operator], [200, 401, 403, 404]),
        ["POST /api/merchants/{merchantId}/unfreeze"] = ([Operator], [200, 401, 403, 404]),
        ["GET /api/merchants/{merchantId}/account"] = ([Operator], [200, 401, 403, 404]),
        ["POST /api/users"] = ([Operator], [201, 400, 401, 403, 409, 413]),
        ["POST /api/users/{userId}/freeze"] = ([Operator], [200, 401, 403, 404]),
        ["POST /api/users/{userId}/unfreeze"] = ([Operator], [200, 401, 403, 404]),
        ["GET /api/users/{userId}/points"] = ([Operator], [200, 401, 403, 404]),
        // "Payment orders (merchant)": 201, the same order again 200, 409, 422, a failed workflow start 503
        ["POST /api/payments"] = ([Merchant], [200, 201, 400, 401, 403, 409, 413, 422, 503]),
        // "Bank callback (bank)": 415 before the signature, 401, 404, 409, 422
        ["POST /api/bank/callbacks"] = ([Bank], [200, 400, 401, 404, 409, 413, 415, 422]),
        ["GET /api/bank/exceptions"] = ([Operator], [200, 401, 403]),
        // "Reading a payment (operator, or the merchant that owns it)"
        ["GET /api/payments/{paymentId}"] = ([Operator, Merchant], [200, 401, 403, 404]),
        ["GET /api/merchant/orders/{merchantOrderNo}"] = ([Merchant], [200, 401, 403, 404]),
        ["GET /api/payments"] = ([Operator], [200, 400, 401, 403]),
        // "Manual resolution (operator)": 202, 409, 404, 503 with Retry-After
        ["POST /api/payments/{paymentId}/resolution"] = ([Operator], [202, 400, 401, 403, 404, 409, 413, 503]),
        // "Merchant notification"
        ["GET /api/payments/{paymentId}/notification"] = ([Operator, Merchant], [200, 401, 403, 404]),
        ["POST /api/payments/{paymentId}/notification/retry"] = ([Operator], [202, 401, 403, 404, 409]),
        ["POST /api/payments/{paymentId}/notification/ack"] = ([Merchant], [202, 401, 403, 404, 409]),
        // "Accounting (operator)"
        ["GET /api/accounting/vouchers"] = ([Operator], [200, 401, 403]),
        // "The bank's side (rev 2)": the simulator's debit and its status query, signed like a callback
        ["POST /simulator/bank/debits"] = ([], [201, 400]),
        ["GET /simulator/bank/transactions/{paymentId}"] = ([Bank], [200, 401, 404]),
        // "Health"
        ["GET /health/live"] = ([], [200, 503]),
        ["GET /health/ready"] = ([], [200, 503]),
    };

    [Fact]
    public void Contract_Routes_AreTheOnesThisTestChecks()
    {
        Assert.Equal(ContractRoutes().Order(StringComparer.Ordinal), Contract.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task OpenApiDocument_EveryContractRoute_HasItsCredentialsAndStatuses()
    {
        var document = (await api.Client.GetNodeAsync("/openapi/v1.json")).AsObject();
        var paths = document["paths"]!.AsObject();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();

        Assert.All(Contract, route =>
        {
            var (method, path) = (route.Key.Split(' ')[0].ToLowerInvariant(), route.Key.Split(' ')[1]);
            var operation = paths[path]?[method] ?? throw new Xunit.Sdk.XunitException($"{route.Key} is not in /openapi/v1.json");
            var credentials = (operation["security"]?.AsArray() ?? []).SelectMany(requirement => requirement!.AsObject().Select(scheme => scheme.Key));
            Assert.Equal(route.Value.Credentials.Order(StringComparer.Ordinal), credentials.Order(StringComparer.Ordinal));
            var statuses = operation["responses"]!.AsObject().Select(response => int.Parse(response.Key, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            var missing = route.Value.Statuses.Where(status => !statuses.Contains(status)).ToList();
            Assert.True(missing.Count == 0, $"{route.Key} documents {string.Join(", ", statuses.Order())}, not {string.Join(", ", missing)}");
        });
        Assert.Equal((string?)"bearer", (string?)schemes[Operator]!["scheme"]);
        Assert.Equal((string?)"bearer", (string?)schemes[Merchant]!["scheme"]);
        Assert.Equal(("apiKey", "header", "X-Bank-Signature"), ((string?)schemes[Bank]!["type"], (string?)schemes[Bank]!["in"], (string?)schemes[Bank]!["name"]));
    }

    [Fact]
    public async Task Docs_Page_IsServed()
    {
        using var page = await api.Client.Anonymous.GetAsync(new Uri("/docs", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Every <c>`METHOD /path`</c> of the contract; <c>`.../unfreeze`</c> is the previous route's sibling.</summary>
    private static HashSet<string> ContractRoutes()
    {
        var routes = new HashSet<string>(StringComparer.Ordinal);
        var previous = "";
        foreach (Match mention in RouteMention().Matches(File.ReadAllText(ContractFile())))
        {
            var route = mention.Groups["method"].Success
                ? $"{mention.Groups["method"].Value} {mention.Groups["path"].Value}"
                : $"{previous[..previous.LastIndexOf('/')]}/{mention.Groups["sibling"].Value}";
            routes.Add(route);
            previous = route;
        }
        return routes;
    }

    private static string ContractFile()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Payments.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("Payments.sln not found above the test folder.");
        }
        var contract = Path.Combine(folder, "docs", "api-contract.md");
        return File.Exists(contract) ? contract : throw new FileNotFoundException($"The contract is expected in the repository at {contract}.");
    }

    [GeneratedRegex(@"`(?:(?<method>GET|POST|PUT|PATCH|DELETE) (?<path>/[^`\s?]*)|\.\.\./(?<sibling>[a-z]+))")]
    private static partial Regex RouteMention();
}
