namespace Payments.DevServer.Visibility;

/// <summary>
/// Temporal's default visibility order (its SQL stores sort by COALESCE(close_time, max) DESC, start_time DESC,
/// run_id): running executions first, newest start first; then closed ones, latest close first.
/// </summary>
internal sealed class DefaultOrder : IComparer<VisibilityRecord>
{
    public static readonly DefaultOrder Instance = new();

    public int Compare(VisibilityRecord? left, VisibilityRecord? right)
    {
        if (ReferenceEquals(left, right))
        {
            return 0;
        }
        if (left is null || right is null)
        {
            return left is null ? -1 : 1;
        }
        var byClose = (right.CloseTime ?? DateTime.MaxValue).CompareTo(left.CloseTime ?? DateTime.MaxValue);
        if (byClose != 0)
        {
            return byClose;
        }
        var byStart = right.StartTime.CompareTo(left.StartTime);
        if (byStart != 0)
        {
            return byStart;
        }
        var byRun = string.CompareOrdinal(left.RunId, right.RunId);
        return byRun != 0 ? byRun : string.CompareOrdinal(left.WorkflowId, right.WorkflowId);
    }
}

/// <summary>An ORDER BY clause, falling back on the default order for ties; a missing value sorts as SQL's NULL (first ascending).</summary>
internal static class QueryOrdering
{
    /// <summary>Sorts records by the ORDER BY terms, reading each record's sort values once.</summary>
    public static List<VisibilityRecord> Sort(IEnumerable<VisibilityRecord> records, IReadOnlyList<QueryOrder> orders)
    {
        var keyed = records.Select(record => (Record: record, Keys: orders.Select(order => First(record, order.Field)).ToArray())).ToList();
        keyed.Sort((first, second) => Compare(first.Keys, second.Keys, orders) is var result && result != 0 ? result : DefaultOrder.Instance.Compare(first.Record, second.Record));
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
                var (leftValue, rightValue) => ValueComparer.Compare(leftValue, rightValue),
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
