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
        return Wrap(_source.GetRowCursor(_appender.InputColumnsFor(needed), rand), needed);
    }

    /// <summary>Several cursors over disjoint parts of the rows (as the source splits them), each scoring its own blocks, so they can run on several threads.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        return [.. _source.GetRowCursorSet(_appender.InputColumnsFor(needed), n, rand).Select(input => Wrap(input, needed))];
    }

    /// <summary>A block cursor when the appender scores blocks and an added column is wanted; else one row at a time.</summary>
    private DataViewRowCursor Wrap(DataViewRowCursor input, List<DataViewSchema.Column> needed) =>
        needed.Any(c => _appender.AddedIndex(c) >= 0) && _appender.BindBlock(input) is IBlockColumns block
            ? new BlockCursor(input, _appender, block, needed)
            : new AppendedCursor(input, _appender, needed);
}
