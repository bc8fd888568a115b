namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Streams (sequence, label) examples out of an IDataView, one cursor per pass, and groups them into
/// mini-batches, shuffled within a bounded buffer so large data never has to fit in memory.
/// </summary>
internal sealed class ExampleSource : Training.IExampleSource<SequenceExample>
{
    private readonly IDataView _data;
    private readonly SequenceFeatureColumn _features;
    private readonly string _labelColumn;
    private readonly Func<DataViewRow, DataViewSchema.Column, Func<long, float>> _labelReader;
    private readonly Func<long, bool>? _rowFilter;

    /// <summary>Creates the source.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="features">The sequence column (already checked against <paramref name="data"/>'s schema).</param>
    /// <param name="labelColumn">The label column.</param>
    /// <param name="labelReader">Makes the function that reads a row's label as a number (and validates it).</param>
    /// <param name="rowFilter">Keeps only rows whose index it accepts; null keeps all.</param>
    public ExampleSource(IDataView data, SequenceFeatureColumn features, string labelColumn,
        Func<DataViewRow, DataViewSchema.Column, Func<long, float>> labelReader, Func<long, bool>? rowFilter = null)
    {
        _data = data;
        _features = features;
        _labelColumn = labelColumn;
        _labelReader = labelReader;
        _rowFilter = rowFilter;
        if (data.Schema.GetColumnOrNull(labelColumn) is null)
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"The label column '{labelColumn}' is not in the input schema (columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}).");
    }

    /// <summary>All examples in data order.</summary>
    public IEnumerable<SequenceExample> Read()
    {
        DataViewSchema.Column label = _data.Schema[_labelColumn];
        using DataViewRowCursor cursor = _data.GetRowCursor([_data.Schema[_features.Name], label]);
        SequenceFeatureReader reader = _features.CreateReader(cursor);
        Func<long, float> readLabel = _labelReader(cursor, label);
        int[] ids = [];
        float[] frames = [];
        while (cursor.MoveNext())
        {
            long row = cursor.Position;
            if (_rowFilter is not null && !_rowFilter(row)) continue;
            int length = reader.Read(row, ref ids, ref frames);
            float target = readLabel(row);
            yield return _features.IsTokens
                ? new SequenceExample(row, length, ids.AsSpan(0, length).ToArray(), null, target)
                : new SequenceExample(row, length, null, frames.AsSpan(0, length * _features.FrameSize).ToArray(), target);
        }
    }

    /// <inheritdoc/>
    public IEnumerable<IReadOnlyList<SequenceExample>> Batches(int batchSize, Random? shuffle, int bufferSize) =>
        ExampleBatches.From(Read(), batchSize, shuffle, bufferSize);
}
