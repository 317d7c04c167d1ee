namespace Payments.DevServer.Visibility;

/// <summary>The values of one attribute of one execution, without allocating for the common single value.</summary>
internal readonly struct AttributeValues
{
    private readonly object? _single;
    private readonly IReadOnlyList<object>? _many;

    public AttributeValues(object? single) => _single = single;

    public AttributeValues(IReadOnlyList<object> many) => _many = many;

    /// <summary>0 means the attribute is missing (SQL's NULL).</summary>
    public int Count => _many?.Count ?? (_single is null ? 0 : 1);

    public object this[int index] => _many is not null ? _many[index] : index == 0 && _single is not null ? _single : throw new ArgumentOutOfRangeException(nameof(index));
}
