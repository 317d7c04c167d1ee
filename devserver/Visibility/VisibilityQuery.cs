using Temporalio.Api.Workflow.V1;

namespace Payments.DevServer.Visibility;

/// <summary>
/// A parsed visibility query, Temporal's SQL-like filter language: comparisons, IN, BETWEEN, STARTS_WITH,
/// IS [NOT] NULL, AND/OR/NOT with parentheses, an optional GROUP BY (counts only) and ORDER BY.
/// </summary>
public sealed class VisibilityQuery
{
    private readonly QueryNode? _filter;
    private readonly SearchAttributeRegistry _registry;

    private VisibilityQuery(QueryNode? filter, QueryField? groupBy, IReadOnlyList<QueryOrder> orderBy, SearchAttributeRegistry registry)
    {
        _filter = filter;
        GroupBy = groupBy;
        OrderBy = orderBy;
        _registry = registry;
    }

    /// <summary>The GROUP BY attribute, when the query has one.</summary>
    public QueryField? GroupBy { get; }

    /// <summary>The ORDER BY terms; empty means Temporal's default order.</summary>
    public IReadOnlyList<QueryOrder> OrderBy { get; }

    /// <summary>Parses <paramref name="query"/> against the namespace's attributes; throws InvalidArgument naming the problem.</summary>
    public static VisibilityQuery Parse(string? query, SearchAttributeRegistry registry)
    {
        var (filter, groupBy, orderBy) = QueryParser.Parse(query ?? string.Empty, registry);
        return new VisibilityQuery(filter, groupBy, orderBy, registry);
    }

    /// <summary>Whether the execution passes the filter (an empty query selects everything).</summary>
    public bool Matches(WorkflowExecutionInfo info) => Matches(new VisibilityRecord(info, _registry));

    internal QueryNode? Filter => _filter;

    internal bool Matches(VisibilityRecord record) => _filter is null || _filter.Evaluate(record) == true;
}
