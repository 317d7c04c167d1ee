using System.Globalization;
using System.Text;

namespace Payments.DevServer.Visibility;

internal enum TokenKind
{
    Identifier,
    Keyword,
    String,
    Integer,
    Float,
    Operator,
    OpenParen,
    CloseParen,
    Comma,
    End,
}

/// <summary>One lexeme of a visibility query; <see cref="Position"/> is its 1-based end, as MySQL's parser reports.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Position)
{
    public bool IsKeyword(string keyword) => Kind == TokenKind.Keyword && Text == keyword;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Text == op;
}

/// <summary>Splits a visibility query into tokens with MySQL's lexical rules (Temporal parses queries with a MySQL parser).</summary>
internal static class QueryLexer
{
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "AND", "OR", "NOT", "IN", "BETWEEN", "IS", "NULL", "ORDER", "GROUP", "BY", "ASC", "DESC",
        "STARTS_WITH", "TRUE", "FALSE", "LIMIT", "LIKE", "WHERE", "SELECT", "FROM", "HAVING",
    };

    public static List<Token> Tokenize(string query)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < query.Length && char.IsWhiteSpace(query[i]))
            {
                i++;
            }
            if (i >= query.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, query.Length + 1));
                return tokens;
            }
            var c = query[i];
            var start = i;
            if (c is '\'' or '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadQuoted(query, ref i, c), i));
            }
            else if (c == '`')
            {
                tokens.Add(new Token(TokenKind.Identifier, ReadQuoted(query, ref i, c), i));
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < query.Length && char.IsAsciiDigit(query[i + 1])))
            {
                tokens.Add(ReadNumber(query, ref i));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < query.Length && (char.IsAsciiLetterOrDigit(query[i]) || query[i] is '_' or '$' or '.'))
                {
                    i++;
                }
                var word = query[start..i];
                tokens.Add(Keywords.Contains(word)
                    ? new Token(TokenKind.Keyword, word.ToUpperInvariant(), i)
                    : new Token(TokenKind.Identifier, word, i));
            }
            else
            {
                tokens.Add(ReadSymbol(query, ref i));
            }
        }
    }

    private static string ReadQuoted(string query, ref int i, char quote)
    {
        var start = i;
        var text = new StringBuilder();
        i++;
        while (i < query.Length)
        {
            var c = query[i];
            if (c == quote)
            {
                // A doubled quote stands for the quote itself.
                if (i + 1 < query.Length && query[i + 1] == quote)
                {
                    text.Append(quote);
                    i += 2;
                    continue;
                }
                i++;
                return text.ToString();
            }
            if (c == '\\' && quote != '`' && i + 1 < query.Length)
            {
                text.Append(Unescape(query[i + 1]));
                i += 2;
                continue;
            }
            text.Append(c);
            i++;
        }
        throw VisibilityErrors.MalformedQuery($"syntax error at position {query.Length + 1} near '{query[start..]}'");
    }

    private static string Unescape(char c) => c switch
    {
        '0' => "\0",
        'b' => "\b",
        'n' => "\n",
        'r' => "\r",
        't' => "\t",
        'Z' => "\u001a",
        // MySQL keeps the backslash of a pattern escape.
        '%' or '_' => "\\" + c,
        _ => c.ToString(),
    };

    private static Token ReadNumber(string query, ref int i)
    {
        var start = i;
        var isFloat = false;
        while (i < query.Length && char.IsAsciiDigit(query[i]))
        {
            i++;
        }
        if (i < query.Length && query[i] == '.')
        {
            isFloat = true;
            i++;
            while (i < query.Length && char.IsAsciiDigit(query[i]))
            {
                i++;
            }
        }
        if (i < query.Length && query[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < query.Length && query[exponent] is '+' or '-')
            {
                exponent++;
            }
            if (exponent < query.Length && char.IsAsciiDigit(query[exponent]))
            {
                isFloat = true;
                i = exponent;
                while (i < query.Length && char.IsAsciiDigit(query[i]))
                {
                    i++;
                }
            }
        }
        if (i < query.Length && (char.IsAsciiLetter(query[i]) || query[i] == '_'))
        {
            throw VisibilityErrors.MalformedQuery($"syntax error at position {i + 1} near '{query[start..(i + 1)]}'");
        }
        var text = query[start..i];
        return new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, i);
    }

    private static Token ReadSymbol(string query, ref int i)
    {
        var c = query[i];
        var next = i + 1 < query.Length ? query[i + 1] : '\0';
        (TokenKind kind, string text) = (c, next) switch
        {
            ('(', _) => (TokenKind.OpenParen, "("),
            (')', _) => (TokenKind.CloseParen, ")"),
            (',', _) => (TokenKind.Comma, ","),
            ('!', '=') => (TokenKind.Operator, "!="),
            ('<', '>') => (TokenKind.Operator, "!="),
            ('<', '=') => (TokenKind.Operator, "<="),
            ('>', '=') => (TokenKind.Operator, ">="),
            ('<', _) => (TokenKind.Operator, "<"),
            ('>', _) => (TokenKind.Operator, ">"),
            ('=', _) => (TokenKind.Operator, "="),
            ('-', _) => (TokenKind.Operator, "-"),
            ('+', _) => (TokenKind.Operator, "+"),
            _ => throw VisibilityErrors.MalformedQuery(
                $"syntax error at position {i + 1} near '{c.ToString(CultureInfo.InvariantCulture)}'"),
        };
        // "<>" is two characters but means "!=".
        i += c == '<' && next == '>' ? 2 : text.Length;
        return new Token(kind, text, i);
    }
}
