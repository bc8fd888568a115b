using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Data;

/// <summary>The row-to-row form of a <see cref="ColumnAppender"/> (what <c>PredictionEngine</c> runs).</summary>
internal sealed class AppendedRowToRowMapper : IRowToRowMapper
{
    private readonly ColumnAppender _appender;

    public AppendedRowToRowMapper(ColumnAppender appender) => _appender = appender;

    public DataViewSchema InputSchema => _appender.InputSchema;

    public DataViewSchema OutputSchema => _appender.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _appender.InputColumnsFor(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new AppendedRow(input, _appender, activeColumns);
    }
}
