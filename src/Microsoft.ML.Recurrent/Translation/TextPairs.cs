namespace Microsoft.ML.Recurrent.Translation;

/// <summary>Reads a seq2seq model's source and target columns (text, or key vectors read as their key values; see <see cref="SymbolColumn"/>), with each row's position.</summary>
internal static class TextPairs
{
    /// <summary>The (row, source, target) of the rows of <paramref name="data"/> that <paramref name="rows"/> keeps (all when null).</summary>
    public static IEnumerable<(long Row, string Source, string Target)> Read(IDataView data, string sourceColumn, string targetColumn, Func<long, bool>? rows = null)
    {
        SymbolColumn source = SymbolColumn.Bind(data.Schema, sourceColumn, "source"), target = SymbolColumn.Bind(data.Schema, targetColumn, "target");
        using DataViewRowCursor cursor = data.GetRowCursor([source.Column, target.Column]);
        Func<string> sourceText = source.Reader(cursor), targetText = target.Reader(cursor);
        while (cursor.MoveNext())
        {
            if (rows is not null && !rows(cursor.Position)) continue;
            yield return (cursor.Position, sourceText(), targetText());
        }
    }
}
