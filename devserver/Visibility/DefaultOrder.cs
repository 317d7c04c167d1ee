namespace Payments.DevServer.Visibility;

/// <summary>
/// Temporal's default visibility order (its SQL stores sort by COALESCE(close_time, max) DESC, start_time DESC,
/// run_id): running executions first, newest start first; then closed ones, latest close first.
/// </summary>
internal sealed class DefaultOrder : IComparer<VisibilityRecord>
{
    public static readonly DefaultOrder Instance = new();

    public int Compare(VisibilityRecord? x, VisibilityRecord? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }
        var byClose = (y.CloseTime ?? DateTime.MaxValue).CompareTo(x.CloseTime ?? DateTime.MaxValue);
        if (byClose != 0)
        {
            return byClose;
        }
        var byStart = y.StartTime.CompareTo(x.StartTime);
        if (byStart != 0)
        {
            return byStart;
        }
        var byRun = string.CompareOrdinal(x.RunId, y.RunId);
        return byRun != 0 ? byRun : string.CompareOrdinal(x.WorkflowId, y.WorkflowId);
    }
}

/// <summary>An ORDER BY clause, falling back on the default order for ties; a missing value sorts as SQL's NULL (first ascending).</summary>
internal sealed class QueryOrderComparer(IReadOnlyList<QueryOrder> orders) : IComparer<VisibilityRecord>
{
    public int Compare(VisibilityRecord? x, VisibilityRecord? y)
    {
        foreach (var order in orders)
        {
            var left = First(x!, order.Field);
            var right = First(y!, order.Field);
            var result = (left, right) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                _ => ValueComparer.Compare(left, right),
            };
            if (result != 0)
            {
                return order.Descending ? -result : result;
            }
        }
        return DefaultOrder.Instance.Compare(x, y);
    }

    private static object? First(VisibilityRecord record, QueryField field)
    {
        var values = record.Values(field.FieldName);
        return values.Count == 0 ? null : values[0];
    }
}
