using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>A cursor over an input cursor with a <see cref="ColumnAppender"/>'s columns added (see <see cref="AppendedRow"/>).</summary>
internal sealed class AppendedCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly AppendedRow _row;

    public AppendedCursor(DataViewRowCursor input, ColumnAppender appender, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        _input = input;
        _row = new AppendedRow(input, appender, activeColumns);
    }

    public override DataViewSchema Schema => _row.Schema;

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override bool MoveNext() => _input.MoveNext();

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) => _row.IsColumnActive(column);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _row.GetGetter<TValue>(column);

    protected override void Dispose(bool disposing)
    {
        if (disposing) _row.Dispose();
        base.Dispose(disposing);
    }
}
