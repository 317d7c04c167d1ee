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
internal static class QueryOrdering
{
    /// <summary>Sorts records by the ORDER BY terms, reading each record's sort values once.</summary>
    public static List<VisibilityRecord> Sort(IEnumerable<VisibilityRecord> records, IReadOnlyList<QueryOrder> orders)
    {
        var keyed = records.Select(record => (Record: record, Keys: orders.Select(order => First(record, order.Field)).ToArray())).ToList();
        keyed.Sort((x, y) => Compare(x.Keys, y.Keys, orders) is var result && result != 0 ? result : DefaultOrder.Instance.Compare(x.Record, y.Record));
        return keyed.ConvertAll(pair => pair.Record);
    }

    private static int Compare(object?[] left, object?[] right, IReadOnlyList<QueryOrder> orders)
    {
        for (var i = 0; i < orders.Count; i++)
        {
            var result = (left[i], right[i]) switch
            {
                (null, null) => 0,
                (null, _) => -1,
                (_, null) => 1,
                var (a, b) => ValueComparer.Compare(a, b),
            };
            if (result != 0)
            {
                return orders[i].Descending ? -result : result;
            }
        }
        return 0;
    }

    private static object? First(VisibilityRecord record, QueryField field)
    {
        var values = record.Values(field.FieldName);
        return values.Count == 0 ? null : values[0];
    }
}
