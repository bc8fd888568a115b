using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>An input row seen through a <see cref="ColumnAppender"/>: input columns pass through, added ones are computed.</summary>
internal sealed class AppendedRow : DataViewRow
{
    private readonly DataViewRow _input;
    private readonly ColumnAppender _appender;
    private readonly IAddedColumns? _added;
    private readonly bool[] _active;

    public AppendedRow(DataViewRow input, ColumnAppender appender, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        _appender = appender;
        _active = new bool[appender.AddedCount];
        foreach (DataViewSchema.Column column in activeColumns)
            if (appender.AddedIndex(column) is int j and >= 0) _active[j] = true;
        // Only bind when an added column is wanted: the input cursor has the added columns' dependencies active only then.
        if (Array.IndexOf(_active, true) >= 0) _added = appender.Bind(input);
    }

    public override DataViewSchema Schema => _appender.OutputSchema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        int j = _appender.AddedIndex(column);
        return j < 0 ? _input.IsColumnActive(_input.Schema[column.Index]) : _active[j];
    }

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int j = _appender.AddedIndex(column);
        if (j < 0) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        if (!_active[j]) throw new InvalidOperationException($"Column '{column.Name}' is not active in this row; request it when creating the cursor.");
        return _added!.GetGetter(j) as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type} ({column.Type.RawType.Name}); it cannot be read as {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
