namespace Microsoft.ML.Recurrent.Data;

/// <summary>The lazy result of a transformer: the source data with a <see cref="ColumnAppender"/>'s columns added.</summary>
internal sealed class AppendedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly ColumnAppender _appender;

    public AppendedDataView(IDataView source, ColumnAppender appender)
    {
        _source = source;
        _appender = appender;
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _appender.OutputSchema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        DataViewRowCursor input = _source.GetRowCursor(_appender.InputColumnsFor(needed), rand);
        return new AppendedCursor(input, _appender, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
