using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>
/// A seq2seq source or target column: a scalar of text (split by the side's <see cref="SymbolUnit"/>), or a vector of
/// UInt32 keys (e.g. <c>TokenizeIntoWords</c> then <c>MapValueToKey</c>), read as its key values, one symbol per key,
/// joined by single spaces (so the side's unit is Word). A key value with whitespace in it cannot be one symbol and is refused.
/// </summary>
internal sealed class SymbolColumn
{
    private readonly string[]? _keyValues;

    private SymbolColumn(DataViewSchema.Column column, string[]? keyValues)
    {
        Column = column;
        _keyValues = keyValues;
    }

    public DataViewSchema.Column Column { get; }

    /// <summary>Whether the column holds keys (its symbols are then words, whatever the options say).</summary>
    public bool IsKeys => _keyValues is not null;

    /// <summary>The side's unit: Word for keys, else <paramref name="unit"/>.</summary>
    public SymbolUnit Unit(SymbolUnit unit) => IsKeys ? SymbolUnit.Word : unit;

    /// <summary>The column <paramref name="name"/> of <paramref name="schema"/> as the <paramref name="role"/> column, checked.</summary>
    public static SymbolColumn Bind(DataViewSchema schema, string name, string role)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"The {role} column '{name}' is not in the input schema.");
        if (column.Type == TextDataViewType.Instance) return new SymbolColumn(column, null);
        if (column.Type is not VectorDataViewType { ItemType: KeyDataViewType { RawType: var raw, Count: > 0 and <= 1 << 24 } key } || raw != typeof(uint))
            throw new ArgumentOutOfRangeException(nameof(schema), $"The {role} column '{name}' is {column.Type}; a seq2seq model reads a scalar of text or a vector of UInt32 keys with a known count.");
        int count = (int)key.Count;
        string[] values = [.. Enumerable.Range(1, count).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is { Type: VectorDataViewType { ItemType: TextDataViewType } })
        {
            VBuffer<ReadOnlyMemory<char>> names = default;
            column.Annotations.GetValue("KeyValues", ref names);
            if (names.Length == count) values = [.. names.DenseValues().Select(v => v.ToString())];
        }
        if (values.FirstOrDefault(v => v.Length == 0 || v.Any(char.IsWhiteSpace)) is string bad)
            throw new ArgumentOutOfRangeException(nameof(schema), $"The {role} column '{name}' has the key value '{bad}', which is empty or holds whitespace and cannot be read as one symbol.");
        return new SymbolColumn(column, values);
    }

    /// <summary>A reader of the current row's value as text (key values joined by spaces) for <paramref name="row"/>.</summary>
    public Func<string> Reader(DataViewRow row)
    {
        if (_keyValues is not string[] names)
        {
            ValueGetter<ReadOnlyMemory<char>> text = row.GetGetter<ReadOnlyMemory<char>>(Column);
            ReadOnlyMemory<char> value = default;
            return () => { text(ref value); return value.ToString(); };
        }
        ValueGetter<VBuffer<uint>> keys = row.GetGetter<VBuffer<uint>>(Column);
        VBuffer<uint> buffer = default;
        return () =>
        {
            keys(ref buffer);
            // Key 0 is ML.NET's missing value: it has no symbol, so it is left out.
            return string.Join(' ', buffer.DenseValues().Where(k => k > 0).Select(k => names[k - 1]));
        };
    }
}
