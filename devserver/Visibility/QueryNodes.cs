using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Visibility;

/// <summary>A search attribute named in a query: the name as written, the attribute it resolved to, and its type.</summary>
public sealed record QueryField(string Alias, string FieldName, IndexedValueType Type);

/// <summary>
/// A filter node. Evaluation follows SQL's three-valued logic: null means unknown (a missing attribute),
/// and only true selects an execution.
/// </summary>
internal abstract class QueryNode
{
    public abstract bool? Evaluate(VisibilityRecord record);
}

internal sealed class AndNode(QueryNode left, QueryNode right) : QueryNode
{
    public QueryNode Left => left;

    public QueryNode Right => right;

    public override bool? Evaluate(VisibilityRecord record)
    {
        var first = left.Evaluate(record);
        if (first == false)
        {
            return false;
        }
        var second = right.Evaluate(record);
        return second == false ? false : first == true && second == true ? true : null;
    }
}

internal sealed class OrNode(QueryNode left, QueryNode right) : QueryNode
{
    public override bool? Evaluate(VisibilityRecord record)
    {
        var first = left.Evaluate(record);
        if (first == true)
        {
            return true;
        }
        var second = right.Evaluate(record);
        return second == true ? true : first == false && second == false ? false : null;
    }
}

internal sealed class NotNode(QueryNode operand) : QueryNode
{
    public override bool? Evaluate(VisibilityRecord record) => !operand.Evaluate(record);
}

/// <summary>
/// A predicate on one attribute. An attribute may hold several values (KeywordList, or a list in any type):
/// a positive test holds when any value passes, a negated one when none does.
/// </summary>
internal sealed class PredicateNode(QueryField attribute, Func<object, bool> test, bool negated) : QueryNode
{
    public QueryField Field => attribute;

    /// <summary>The single value of an "=" test, which the store may answer from an index.</summary>
    public object? EqualsValue { get; init; }

    public override bool? Evaluate(VisibilityRecord record)
    {
        var values = record.Values(attribute.FieldName);
        if (values.Count == 0)
        {
            return null;
        }
        for (var i = 0; i < values.Count; i++)
        {
            if (test(values[i]))
            {
                return !negated;
            }
        }
        return negated;
    }
}

internal sealed class IsNullNode(QueryField attribute, bool negated) : QueryNode
{
    public override bool? Evaluate(VisibilityRecord record) => record.Values(attribute.FieldName).Count == 0 != negated;
}

/// <summary>Orders and compares decoded attribute values of one type (strings ordinally, Int and Double numerically).</summary>
internal static class ValueComparer
{
    public static int Compare(object left, object right) => (left, right) switch
    {
        (string first, string second) => string.CompareOrdinal(first, second),
        (long first, long second) => first.CompareTo(second),
        (long first, double second) => ((double)first).CompareTo(second),
        (double first, long second) => first.CompareTo(second),
        (double first, double second) => first.CompareTo(second),
        (DateTime first, DateTime second) => first.CompareTo(second),
        (bool first, bool second) => first.CompareTo(second),
        _ => throw new InvalidOperationException($"Cannot compare {left.GetType().Name} with {right.GetType().Name}."),
    };
}
