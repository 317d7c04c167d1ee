using Google.Protobuf;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.Filter.V1;
using Temporalio.Api.Workflow.V1;
using Temporalio.Api.WorkflowService.V1;

namespace Payments.DevServer.Visibility;

/// <summary>
/// The visibility records of one namespace, kept in Temporal's default order with indexes by status and by
/// workflow id, answering List/Scan/Count with the visibility query language and the legacy open/closed lists.
/// </summary>
public sealed class VisibilityStore(SearchAttributeRegistry registry)
{
    /// <summary>Temporal's default limit.visibilityMaxPageSize; larger or missing page sizes are clamped to it.</summary>
    public const int MaxPageSize = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string WorkflowId, string RunId), VisibilityRecord> _byExecution = [];
    private readonly SortedSet<VisibilityRecord> _all = new(DefaultOrder.Instance);
    private readonly Dictionary<WorkflowExecutionStatus, SortedSet<VisibilityRecord>> _byStatus = [];
    private readonly Dictionary<string, SortedSet<VisibilityRecord>> _byWorkflowId = new(StringComparer.Ordinal);

    public SearchAttributeRegistry Registry => registry;

    /// <summary>How many executions the store holds.</summary>
    public int Total
    {
        get
        {
            lock (_lock)
            {
                return _all.Count;
            }
        }
    }

    /// <summary>Records an execution's current state (start, search attribute or memo change, close), replacing the previous one.</summary>
    public void Upsert(WorkflowExecutionInfo info)
    {
        var record = new VisibilityRecord(info.Clone(), registry);
        lock (_lock)
        {
            RemoveLocked(record.WorkflowId, record.RunId);
            _byExecution[(record.WorkflowId, record.RunId)] = record;
            _all.Add(record);
            IndexOf(_byStatus, record.Status).Add(record);
            IndexOf(_byWorkflowId, record.WorkflowId).Add(record);
        }
    }

    /// <summary>Forgets an execution (deleted, or past retention); false when it was not there.</summary>
    public bool Remove(string workflowId, string runId)
    {
        lock (_lock)
        {
            return RemoveLocked(workflowId, runId);
        }
    }

    /// <summary>The stored record of one execution, or null.</summary>
    public WorkflowExecutionInfo? Get(string workflowId, string runId)
    {
        lock (_lock)
        {
            return _byExecution.TryGetValue((workflowId, runId), out var record) ? record.Info.Clone() : null;
        }
    }

    public ListWorkflowExecutionsResponse List(ListWorkflowExecutionsRequest request)
    {
        var (executions, token) = Search(request.Query, request.PageSize, request.NextPageToken);
        return new ListWorkflowExecutionsResponse { Executions = { executions }, NextPageToken = token };
    }

    /// <summary>Scan is List without an order guarantee; the default order serves both.</summary>
    public ScanWorkflowExecutionsResponse Scan(ScanWorkflowExecutionsRequest request)
    {
        var (executions, token) = Search(request.Query, request.PageSize, request.NextPageToken);
        return new ScanWorkflowExecutionsResponse { Executions = { executions }, NextPageToken = token };
    }

    public CountWorkflowExecutionsResponse Count(CountWorkflowExecutionsRequest request)
    {
        var query = VisibilityQuery.Parse(request.Query, registry);
        lock (_lock)
        {
            if (query.GroupBy is null)
            {
                return new CountWorkflowExecutionsResponse
                {
                    Count = query.Filter is null ? _all.Count : Candidates(query).Count(query.Matches),
                };
            }
            return CountGroupsLocked(query);
        }
    }

    /// <summary>The legacy list of running executions: StartTimeFilter on StartTime, by workflow id or type.</summary>
    public ListOpenWorkflowExecutionsResponse ListOpen(ListOpenWorkflowExecutionsRequest request)
    {
        var legacy = LegacyFilter(request.StartTimeFilter, request.ExecutionFilter, request.TypeFilter, closed: false);
        var (executions, token) = Page(
            () => IndexOf(_byStatus, WorkflowExecutionStatus.Running), legacy, [], request.MaximumPageSize, request.NextPageToken);
        return new ListOpenWorkflowExecutionsResponse { Executions = { executions }, NextPageToken = token };
    }

    /// <summary>The legacy list of closed executions: StartTimeFilter applies to CloseTime here, as in Temporal's SQL store.</summary>
    public ListClosedWorkflowExecutionsResponse ListClosed(ListClosedWorkflowExecutionsRequest request)
    {
        var legacy = LegacyFilter(request.StartTimeFilter, request.ExecutionFilter, request.TypeFilter, closed: true);
        var status = request.StatusFilter?.Status ?? WorkflowExecutionStatus.Unspecified;
        Func<VisibilityRecord, bool> filter = status == WorkflowExecutionStatus.Unspecified
            ? record => record.CloseTime is not null && legacy(record)
            : record => record.Status == status && legacy(record);
        var (executions, token) = Page(() => _all, filter, [], request.MaximumPageSize, request.NextPageToken);
        return new ListClosedWorkflowExecutionsResponse { Executions = { executions }, NextPageToken = token };
    }

    private (List<WorkflowExecutionInfo> Executions, ByteString Token) Search(string query, int pageSize, ByteString pageToken)
    {
        var parsed = VisibilityQuery.Parse(query, registry);
        if (parsed.GroupBy is not null)
        {
            throw VisibilityErrors.NotSupported("'GROUP BY' clause is only supported in count query");
        }
        return Page(() => Candidates(parsed), parsed.Matches, parsed.OrderBy, pageSize, pageToken);
    }

    private (List<WorkflowExecutionInfo>, ByteString) Page(
        Func<SortedSet<VisibilityRecord>> source,
        Func<VisibilityRecord, bool> filter,
        IReadOnlyList<QueryOrder> orderBy,
        int pageSize,
        ByteString pageToken)
    {
        var size = pageSize <= 0 || pageSize > MaxPageSize ? MaxPageSize : pageSize;
        var token = PageToken.Decode(pageToken);
        List<VisibilityRecord> page;
        ByteString next;
        lock (_lock)
        {
            (page, next) = orderBy.Count == 0
                ? KeysetPage(source(), filter, size, token)
                : OffsetPage(source(), filter, orderBy, size, token);
        }
        // Records never change once stored; copies keep callers from altering them.
        return (page.ConvertAll(record => record.Info.Clone()), next);
    }

    /// <summary>A page in the default order, resuming just after the last execution of the previous page.</summary>
    private static (List<VisibilityRecord>, ByteString) KeysetPage(
        SortedSet<VisibilityRecord> source, Func<VisibilityRecord, bool> filter, int size, PageToken? token)
    {
        var page = new List<VisibilityRecord>();
        if (source.Count == 0)
        {
            return (page, ByteString.Empty);
        }
        IEnumerable<VisibilityRecord> remaining = source;
        if (token is not null)
        {
            var probe = token.Probe();
            if (DefaultOrder.Instance.Compare(probe, source.Max) > 0)
            {
                return (page, ByteString.Empty);
            }
            remaining = source.GetViewBetween(probe, source.Max!).Where(record => DefaultOrder.Instance.Compare(record, probe) != 0);
        }
        foreach (var record in remaining)
        {
            if (!filter(record))
            {
                continue;
            }
            if (page.Count == size)
            {
                // One more match exists: only then is there a next page.
                return (page, PageToken.After(page[^1]).Encode());
            }
            page.Add(record);
        }
        return (page, ByteString.Empty);
    }

    /// <summary>A page of a custom ORDER BY: sort every match, then take the slice at the token's offset.</summary>
    private static (List<VisibilityRecord>, ByteString) OffsetPage(
        SortedSet<VisibilityRecord> source, Func<VisibilityRecord, bool> filter, IReadOnlyList<QueryOrder> orderBy, int size, PageToken? token)
    {
        var matches = QueryOrdering.Sort(source.Where(filter), orderBy);
        var offset = Math.Clamp(token?.Offset ?? 0, 0, matches.Count);
        var page = matches.GetRange(offset, Math.Min(size, matches.Count - offset));
        var end = offset + page.Count;
        return (page, end < matches.Count ? PageToken.At(end).Encode() : ByteString.Empty);
    }

    private CountWorkflowExecutionsResponse CountGroupsLocked(VisibilityQuery query)
    {
        var field = query.GroupBy!;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (query.Filter is null && field.FieldName == SearchAttributeNames.ExecutionStatus)
        {
            // The status index already holds the answer.
            foreach (var (status, records) in _byStatus.Where(pair => pair.Value.Count > 0))
            {
                counts[status.ToString()] = records.Count;
            }
        }
        else
        {
            foreach (var record in Candidates(query).Where(query.Matches))
            {
                var values = record.Values(field.FieldName);
                var key = values.Count == 0 ? string.Empty : (string)values[0];
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }
        var response = new CountWorkflowExecutionsResponse { Count = counts.Values.Sum() };
        foreach (var (value, count) in counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal))
        {
            response.Groups.Add(new CountWorkflowExecutionsResponse.Types.AggregationGroup
            {
                GroupValues = { SearchAttributeValues.Encode(value, field.Type) },
                Count = count,
            });
        }
        return response;
    }

    /// <summary>
    /// The smallest indexed set that holds every match: an "=" on WorkflowId or ExecutionStatus among the
    /// query's top-level AND terms narrows the scan to that index.
    /// </summary>
    private SortedSet<VisibilityRecord> Candidates(VisibilityQuery query)
    {
        SortedSet<VisibilityRecord>? byStatus = null;
        foreach (var term in TopLevelTerms(query.Filter))
        {
            if (term is not PredicateNode { EqualsValue: string value } predicate)
            {
                continue;
            }
            switch (predicate.Field.FieldName)
            {
                case SearchAttributeNames.WorkflowId:
                    return _byWorkflowId.TryGetValue(value, out var runs) ? runs : new SortedSet<VisibilityRecord>(DefaultOrder.Instance);
                case SearchAttributeNames.ExecutionStatus when Enum.TryParse<WorkflowExecutionStatus>(value, out var status):
                    byStatus = IndexOf(_byStatus, status);
                    break;
            }
        }
        return byStatus ?? _all;
    }

    private static IEnumerable<QueryNode> TopLevelTerms(QueryNode? node)
    {
        if (node is AndNode and)
        {
            return TopLevelTerms(and.Left).Concat(TopLevelTerms(and.Right));
        }
        return node is null ? [] : [node];
    }

    private static Func<VisibilityRecord, bool> LegacyFilter(
        StartTimeFilter? timeFilter, WorkflowExecutionFilter? executionFilter, WorkflowTypeFilter? typeFilter, bool closed)
    {
        var earliest = timeFilter?.EarliestTime?.ToDateTime() ?? DateTime.MinValue;
        var latest = timeFilter?.LatestTime?.ToDateTime() ?? DateTime.MaxValue;
        if (earliest > latest)
        {
            throw VisibilityErrors.InvalidArgument("EarliestTime in StartTimeFilter should not be larger than LatestTime.");
        }
        var workflowId = executionFilter?.WorkflowId;
        var typeName = typeFilter?.Name;
        return record =>
        {
            var time = closed ? record.CloseTime ?? DateTime.MinValue : record.StartTime;
            return time >= earliest && time <= latest &&
                (string.IsNullOrEmpty(workflowId) || record.WorkflowId == workflowId) &&
                (string.IsNullOrEmpty(typeName) || record.Info.Type?.Name == typeName);
        };
    }

    private bool RemoveLocked(string workflowId, string runId)
    {
        if (!_byExecution.Remove((workflowId, runId), out var old))
        {
            return false;
        }
        _all.Remove(old);
        _byStatus[old.Status].Remove(old);
        var runs = _byWorkflowId[old.WorkflowId];
        runs.Remove(old);
        if (runs.Count == 0)
        {
            _byWorkflowId.Remove(old.WorkflowId);
        }
        return true;
    }

    private static SortedSet<VisibilityRecord> IndexOf<TKey>(Dictionary<TKey, SortedSet<VisibilityRecord>> index, TKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
        {
            set = new SortedSet<VisibilityRecord>(DefaultOrder.Instance);
            index[key] = set;
        }
        return set;
    }
}
