using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Generation;

namespace Microsoft.ML.Recurrent.Translation;

/// <summary>Reads a seq2seq model's source and target columns (scalars of text), with each row's position.</summary>
internal static class TextPairs
{
    /// <summary>The (row, source, target) of the rows of <paramref name="data"/> that <paramref name="rows"/> keeps (all when null).</summary>
    public static IEnumerable<(long Row, string Source, string Target)> Read(IDataView data, string sourceColumn, string targetColumn, Func<long, bool>? rows = null)
    {
        DataViewSchema.Column source = TextColumn.Check(data.Schema, sourceColumn), target = TextColumn.Check(data.Schema, targetColumn);
        using DataViewRowCursor cursor = data.GetRowCursor([source, target]);
        ValueGetter<ReadOnlyMemory<char>> sourceGetter = cursor.GetGetter<ReadOnlyMemory<char>>(source), targetGetter = cursor.GetGetter<ReadOnlyMemory<char>>(target);
        ReadOnlyMemory<char> s = default, t = default;
        while (cursor.MoveNext())
        {
            if (rows is not null && !rows(cursor.Position)) continue;
            sourceGetter(ref s);
            targetGetter(ref t);
            yield return (cursor.Position, s.ToString(), t.ToString());
        }
    }
}
