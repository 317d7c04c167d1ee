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
        var position = 0;
        while (true)
        {
            while (position < query.Length && char.IsWhiteSpace(query[position]))
            {
                position++;
            }
            if (position >= query.Length)
            {
                tokens.Add(new Token(TokenKind.End, string.Empty, query.Length + 1));
                return tokens;
            }
            var character = query[position];
            var start = position;
            if (character is '\'' or '"')
            {
                tokens.Add(new Token(TokenKind.String, ReadQuoted(query, ref position, character), position));
            }
            else if (character == '`')
            {
                tokens.Add(new Token(TokenKind.Identifier, ReadQuoted(query, ref position, character), position));
            }
            else if (char.IsAsciiDigit(character) || (character == '.' && position + 1 < query.Length && char.IsAsciiDigit(query[position + 1])))
            {
                tokens.Add(ReadNumber(query, ref position));
            }
            else if (char.IsAsciiLetter(character) || character == '_')
            {
                while (position < query.Length && (char.IsAsciiLetterOrDigit(query[position]) || query[position] is '_' or '$' or '.'))
                {
                    position++;
                }
                var word = query[start..position];
                tokens.Add(Keywords.Contains(word)
                    ? new Token(TokenKind.Keyword, word.ToUpperInvariant(), position)
                    : new Token(TokenKind.Identifier, word, position));
            }
            else
            {
                tokens.Add(ReadSymbol(query, ref position));
            }
        }
    }

    private static string ReadQuoted(string query, ref int position, char quote)
    {
        var start = position;
        var text = new StringBuilder();
        position++;
        while (position < query.Length)
        {
            var character = query[position];
            if (character == quote)
            {
                // A doubled quote stands for the quote itself.
                if (position + 1 < query.Length && query[position + 1] == quote)
                {
                    text.Append(quote);
                    position += 2;
                    continue;
                }
                position++;
                return text.ToString();
            }
            if (character == '\\' && quote != '`' && position + 1 < query.Length)
            {
                text.Append(Unescape(query[position + 1]));
                position += 2;
                continue;
            }
            text.Append(character);
            position++;
        }
        throw VisibilityErrors.MalformedQuery($"syntax error at position {query.Length + 1} near '{query[start..]}'");
    }

    private static string Unescape(char character) => character switch
    {
        '0' => "\0",
        'b' => "\b",
        'n' => "\n",
        'r' => "\r",
        't' => "\t",
        'Z' => "\u001a",
        // MySQL keeps the backslash of a pattern escape.
        '%' or '_' => "\\" + character,
        _ => character.ToString(),
    };

    private static Token ReadNumber(string query, ref int position)
    {
        var start = position;
        var isFloat = false;
        while (position < query.Length && char.IsAsciiDigit(query[position]))
        {
            position++;
        }
        if (position < query.Length && query[position] == '.')
        {
            isFloat = true;
            position++;
            while (position < query.Length && char.IsAsciiDigit(query[position]))
            {
                position++;
            }
        }
        if (position < query.Length && query[position] is 'e' or 'E')
        {
            var exponent = position + 1;
            if (exponent < query.Length && query[exponent] is '+' or '-')
            {
                exponent++;
            }
            if (exponent < query.Length && char.IsAsciiDigit(query[exponent]))
            {
                isFloat = true;
                position = exponent;
                while (position < query.Length && char.IsAsciiDigit(query[position]))
                {
                    position++;
                }
            }
        }
        if (position < query.Length && (char.IsAsciiLetter(query[position]) || query[position] == '_'))
        {
            throw VisibilityErrors.MalformedQuery($"syntax error at position {position + 1} near '{query[start..(position + 1)]}'");
        }
        var text = query[start..position];
        return new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, position);
    }

    private static Token ReadSymbol(string query, ref int position)
    {
        var character = query[position];
        var next = position + 1 < query.Length ? query[position + 1] : '\0';
        (TokenKind kind, string text) = (character, next) switch
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
                $"syntax error at position {position + 1} near '{character.ToString(CultureInfo.InvariantCulture)}'"),
        };
        // "<>" is two characters but means "!=".
        position += character == '<' && next == '>' ? 2 : text.Length;
        return new Token(kind, text, position);
    }
}
