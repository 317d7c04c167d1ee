using System.Globalization;
using Temporalio.Api.Enums.V1;

namespace Payments.DevServer.Visibility;

/// <summary>
/// Recursive-descent parser for the WHERE / GROUP BY / ORDER BY clause Temporal accepts as a visibility query.
/// Names are resolved and constants typed while parsing, so every error carries Temporal's wording.
/// </summary>
internal sealed class QueryParser
{
    private static readonly HashSet<string> ComparisonOperators = ["=", "!=", "<", ">", "<=", ">="];
    private static readonly HashSet<string> KeywordOperators = ["=", "!=", "<", ">", "<=", ">=", "IN", "NOT IN", "STARTS_WITH", "NOT STARTS_WITH"];
    private static readonly HashSet<string> KeywordListOperators = ["=", "!=", "IN", "NOT IN"];
    private static readonly HashSet<string> TextOperators = ["=", "!="];
    private static readonly HashSet<string> OtherOperators = ["=", "!=", "<", ">", "<=", ">=", "IN", "NOT IN"];
    private static readonly HashSet<IndexedValueType> RangeTypes = [IndexedValueType.Datetime, IndexedValueType.Double, IndexedValueType.Int, IndexedValueType.Keyword];
    private static readonly HashSet<string> GroupByFields = [SearchAttributeNames.ExecutionStatus, "TemporalNamespaceDivision"];

    private readonly List<Token> _tokens;
    private readonly SearchAttributeRegistry _registry;
    private int _index;

    private QueryParser(string query, SearchAttributeRegistry registry)
    {
        _tokens = QueryLexer.Tokenize(query);
        _registry = registry;
    }

    private Token Current => _tokens[_index];

    public static (QueryNode? Filter, QueryField? GroupBy, IReadOnlyList<QueryOrder> OrderBy) Parse(string query, SearchAttributeRegistry registry)
    {
        var parser = new QueryParser(query, registry);
        return parser.ParseQuery();
    }

    private (QueryNode?, QueryField?, IReadOnlyList<QueryOrder>) ParseQuery()
    {
        QueryNode? filter = null;
        if (Current.Kind != TokenKind.End && !Current.IsKeyword("ORDER") && !Current.IsKeyword("GROUP"))
        {
            filter = ParseOr();
        }
        var groupBy = ParseGroupBy();
        var orderBy = ParseOrderBy();
        if (Current.IsKeyword("LIMIT"))
        {
            throw VisibilityErrors.NotSupported("'LIMIT' clause");
        }
        if (Current.Kind != TokenKind.End)
        {
            throw SyntaxError();
        }
        return (filter, groupBy, orderBy);
    }

    private QueryField? ParseGroupBy()
    {
        if (!Current.IsKeyword("GROUP"))
        {
            return null;
        }
        Advance();
        Expect("BY");
        var fields = new List<QueryField> { ParseColumn() };
        while (Current.Kind == TokenKind.Comma)
        {
            Advance();
            fields.Add(ParseColumn());
        }
        if (fields.Count > 1)
        {
            throw VisibilityErrors.NotSupported("'GROUP BY' clause supports only a single field");
        }
        if (!GroupByFields.Contains(fields[0].FieldName))
        {
            throw VisibilityErrors.NotSupported($"'GROUP BY' clause is not supported for search attribute {fields[0].Alias}");
        }
        return fields[0];
    }

    private List<QueryOrder> ParseOrderBy()
    {
        var orders = new List<QueryOrder>();
        if (!Current.IsKeyword("ORDER"))
        {
            return orders;
        }
        Advance();
        Expect("BY");
        do
        {
            if (orders.Count > 0)
            {
                Advance();
            }
            var field = ParseColumn();
            if (field.Type == IndexedValueType.Text)
            {
                throw VisibilityErrors.NotSupported($"unable to sort by search attribute type {field.Type}");
            }
            var descending = false;
            if (Current.IsKeyword("ASC") || Current.IsKeyword("DESC"))
            {
                descending = Current.Text == "DESC";
                Advance();
            }
            orders.Add(new QueryOrder(field, descending));
        }
        while (Current.Kind == TokenKind.Comma);
        return orders;
    }

    private QueryNode ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsKeyword("OR"))
        {
            Advance();
            left = new OrNode(left, ParseAnd());
        }
        return left;
    }

    private QueryNode ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsKeyword("AND"))
        {
            Advance();
            left = new AndNode(left, ParseNot());
        }
        return left;
    }

    private QueryNode ParseNot()
    {
        if (!Current.IsKeyword("NOT"))
        {
            return ParsePrimary();
        }
        Advance();
        return new NotNode(ParseNot());
    }

    private QueryNode ParsePrimary()
    {
        if (Current.Kind == TokenKind.OpenParen)
        {
            Advance();
            var inner = ParseOr();
            if (Current.Kind != TokenKind.CloseParen)
            {
                throw SyntaxError();
            }
            Advance();
            return inner;
        }
        if (Current.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float || Current.IsKeyword("TRUE") || Current.IsKeyword("FALSE"))
        {
            // Parse the whole comparison first, so that a malformed query still reports its syntax error.
            ParseLiteral();
            if (Current.Kind != TokenKind.Operator)
            {
                throw SyntaxError();
            }
            throw VisibilityErrors.InvalidExpression("must be a column name but was a value");
        }
        var field = ParseColumn();
        return ParsePredicate(field);
    }

    private QueryNode ParsePredicate(QueryField field)
    {
        var token = Current;
        if (token.Kind == TokenKind.Operator && ComparisonOperators.Contains(token.Text))
        {
            Advance();
            var value = ParseValue(field);
            CheckOperator(field, token.Text);
            return Comparison(field, token.Text, value);
        }
        var negated = false;
        if (token.IsKeyword("NOT"))
        {
            negated = true;
            Advance();
        }
        var keyword = Current;
        if (keyword.IsKeyword("IN"))
        {
            Advance();
            var values = ParseValueList(field);
            CheckOperator(field, negated ? "NOT IN" : "IN");
            return new PredicateNode(field, value => values.Exists(candidate => ValueComparer.Compare(value, candidate) == 0), negated);
        }
        if (keyword.IsKeyword("BETWEEN"))
        {
            Advance();
            if (!RangeTypes.Contains(field.Type))
            {
                throw VisibilityErrors.InvalidExpression($"cannot do range condition on search attribute '{field.Alias}' of type {field.Type}");
            }
            var from = ParseValue(field);
            Expect("AND");
            var to = ParseValue(field);
            return new PredicateNode(field, value => ValueComparer.Compare(value, from) >= 0 && ValueComparer.Compare(value, to) <= 0, negated);
        }
        if (keyword.IsKeyword("STARTS_WITH"))
        {
            Advance();
            var prefix = ParseValue(field);
            CheckOperator(field, negated ? "NOT STARTS_WITH" : "STARTS_WITH");
            var text = (string)prefix;
            return new PredicateNode(field, value => ((string)value).StartsWith(text, StringComparison.Ordinal), negated);
        }
        if (keyword.IsKeyword("LIKE"))
        {
            Advance();
            ParseValue(field);
            throw OperatorNotSupported(field, negated ? "NOT LIKE" : "LIKE");
        }
        if (!negated && keyword.IsKeyword("IS"))
        {
            Advance();
            var isNot = false;
            if (Current.IsKeyword("NOT"))
            {
                isNot = true;
                Advance();
            }
            if (Current.IsKeyword("NULL"))
            {
                Advance();
                return new IsNullNode(field, isNot);
            }
            if (Current.IsKeyword("TRUE") || Current.IsKeyword("FALSE"))
            {
                throw VisibilityErrors.InvalidExpression("'IS' operator can only be used as 'IS NULL' or 'IS NOT NULL'");
            }
            throw SyntaxError();
        }
        if (!negated && (keyword.Kind is TokenKind.End or TokenKind.CloseParen || keyword.IsKeyword("AND") || keyword.IsKeyword("OR")))
        {
            throw VisibilityErrors.InvalidExpression("incomplete expression");
        }
        throw SyntaxError();
    }

    private static PredicateNode Comparison(QueryField field, string op, object value)
    {
        if (field.Type == IndexedValueType.Text)
        {
            var wanted = TextTokens.Of((string)value);
            return new PredicateNode(field, candidate => TextTokens.ContainsAll((string)candidate, wanted), op == "!=");
        }
        return op switch
        {
            "=" => new PredicateNode(field, candidate => ValueComparer.Compare(candidate, value) == 0, negated: false) { EqualsValue = value },
            "!=" => new PredicateNode(field, candidate => ValueComparer.Compare(candidate, value) == 0, negated: true),
            "<" => new PredicateNode(field, candidate => ValueComparer.Compare(candidate, value) < 0, negated: false),
            "<=" => new PredicateNode(field, candidate => ValueComparer.Compare(candidate, value) <= 0, negated: false),
            ">" => new PredicateNode(field, candidate => ValueComparer.Compare(candidate, value) > 0, negated: false),
            _ => new PredicateNode(field, candidate => ValueComparer.Compare(candidate, value) >= 0, negated: false),
        };
    }

    private static void CheckOperator(QueryField field, string op)
    {
        var supported = field.Type switch
        {
            IndexedValueType.Keyword => KeywordOperators,
            IndexedValueType.KeywordList => KeywordListOperators,
            IndexedValueType.Text => TextOperators,
            _ => OtherOperators,
        };
        if (!supported.Contains(op))
        {
            throw OperatorNotSupported(field, op);
        }
    }

    private static Grpc.Core.RpcException OperatorNotSupported(QueryField field, string op) =>
        VisibilityErrors.NotSupported($"operator '{op}' not supported for {field.Type} type search attribute '{field.Alias}'");

    private QueryField ParseColumn()
    {
        var token = Current;
        if (token.Kind != TokenKind.Identifier)
        {
            throw SyntaxError();
        }
        Advance();
        if (!_registry.TryResolve(token.Text, out var fieldName, out var type))
        {
            throw VisibilityErrors.InvalidQuery($"invalid search attribute: {token.Text}");
        }
        return new QueryField(token.Text, fieldName, type);
    }

    private List<object> ParseValueList(QueryField field)
    {
        if (Current.Kind != TokenKind.OpenParen)
        {
            throw SyntaxError();
        }
        Advance();
        var values = new List<object> { ParseValue(field) };
        while (Current.Kind == TokenKind.Comma)
        {
            Advance();
            values.Add(ParseValue(field));
        }
        if (Current.Kind != TokenKind.CloseParen)
        {
            throw SyntaxError();
        }
        Advance();
        return values;
    }

    private object ParseValue(QueryField field)
    {
        if (Current.Kind == TokenKind.Identifier)
        {
            throw VisibilityErrors.NotSupported(
                $"column name on the right side of comparison expression (did you forget to quote \"{Current.Text}\"?)");
        }
        return ParseLiteral().Bind(field);
    }

    private QueryLiteral ParseLiteral()
    {
        var token = Current;
        var sign = 1;
        if (token.IsOperator("-") || token.IsOperator("+"))
        {
            sign = token.Text == "-" ? -1 : 1;
            Advance();
            token = Current;
            if (token.Kind is not (TokenKind.Integer or TokenKind.Float))
            {
                throw token.Kind == TokenKind.String
                    ? VisibilityErrors.InvalidExpression($"unary operator not supported in \"{(sign < 0 ? "-" : "+")}'{token.Text}'\"")
                    : SyntaxError();
            }
        }
        Advance();
        return token.Kind switch
        {
            TokenKind.String => new QueryLiteral(token.Text),
            TokenKind.Integer when long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer) => new QueryLiteral(sign * integer),
            TokenKind.Integer or TokenKind.Float => new QueryLiteral(sign * double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture)),
            TokenKind.Keyword when token.Text is "TRUE" or "FALSE" => new QueryLiteral(token.Text == "TRUE"),
            _ => throw SyntaxError(token),
        };
    }

    private void Expect(string keyword)
    {
        if (!Current.IsKeyword(keyword))
        {
            throw SyntaxError();
        }
        Advance();
    }

    private void Advance() => _index = Math.Min(_index + 1, _tokens.Count - 1);

    private Grpc.Core.RpcException SyntaxError() => SyntaxError(Current);

    private static Grpc.Core.RpcException SyntaxError(Token token) => token.Kind == TokenKind.End
        ? VisibilityErrors.MalformedQuery($"syntax error at position {token.Position} near end of query")
        : VisibilityErrors.MalformedQuery($"syntax error at position {token.Position} near '{token.Text}'");
}

/// <summary>One ORDER BY term.</summary>
public sealed record QueryOrder(QueryField Field, bool Descending);

/// <summary>Full-text matching for Text attributes: every word of the query must occur in the value, ignoring case.</summary>
internal static partial class TextTokens
{
    [System.Text.RegularExpressions.GeneratedRegex(@"[\p{L}\p{N}]+", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Word();

    public static string[] Of(string text) => Word().Matches(text).Select(match => match.Value.ToLowerInvariant()).ToArray();

    public static bool ContainsAll(string text, string[] wanted)
    {
        var words = Of(text);
        return wanted.All(words.Contains);
    }
}
