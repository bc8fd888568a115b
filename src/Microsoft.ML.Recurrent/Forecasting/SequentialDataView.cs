namespace Microsoft.ML.Recurrent.Forecasting;

/// <summary>A view of data in its row order only: no shuffled cursors and one cursor per set, so positions are row numbers.</summary>
internal sealed class SequentialDataView(IDataView source) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => source.GetRowCursor(columnsNeeded, null);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [source.GetRowCursor(columnsNeeded, null)];
}
