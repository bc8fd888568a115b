using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Generation;

/// <summary>Reads a text model's text columns (language model, seq2seq): a scalar of text, one text per row.</summary>
internal static class TextColumn
{
    /// <summary>Throws unless <paramref name="schema"/> has a text column called <paramref name="name"/>.</summary>
    public static DataViewSchema.Column Check(DataViewSchema schema, string name)
    {
        DataViewSchema.Column column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"The text column '{name}' is not in the input schema.");
        if (column.Type != TextDataViewType.Instance)
            throw new ArgumentOutOfRangeException(nameof(schema), $"The text column '{name}' is {column.Type}; the model reads a scalar of text (one text per row).");
        return column;
    }

    /// <summary>The texts of the rows of <paramref name="data"/> that <paramref name="rows"/> keeps (all when null).</summary>
    public static IEnumerable<string> Read(IDataView data, string name, Func<long, bool>? rows = null)
    {
        DataViewSchema.Column column = Check(data.Schema, name);
        using DataViewRowCursor cursor = data.GetRowCursor([column]);
        ValueGetter<ReadOnlyMemory<char>> getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            if (rows is not null && !rows(cursor.Position)) continue;
            getter(ref value);
            yield return value.ToString();
        }
    }
}
