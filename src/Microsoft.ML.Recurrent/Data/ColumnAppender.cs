namespace Microsoft.ML.Recurrent.Data;

/// <summary>
/// Computes new columns from the columns of an input row: the common core of our transformers.
/// The output schema is the input schema with the new columns appended (hiding same-named input
/// columns, as ML.NET does). <see cref="Bind"/> gives each row or cursor its own computer, so one
/// appender serves any number of threads.
/// </summary>
internal abstract class ColumnAppender
{
    /// <summary>Creates the appender for <paramref name="inputSchema"/> adding <paramref name="addedColumns"/>.</summary>
    protected ColumnAppender(DataViewSchema inputSchema, DataViewSchema addedColumns)
    {
        InputSchema = inputSchema ?? throw new ArgumentNullException(nameof(inputSchema));
        ArgumentNullException.ThrowIfNull(addedColumns);
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        builder.AddColumns(addedColumns);
        OutputSchema = builder.ToSchema();
        AddedCount = addedColumns.Count;
    }

    /// <summary>The schema rows come in with.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The input columns followed by the added ones.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>Number of added columns (the last ones of <see cref="OutputSchema"/>).</summary>
    public int AddedCount { get; }

    /// <summary>The input columns the added columns are computed from.</summary>
    public abstract IEnumerable<DataViewSchema.Column> Dependencies { get; }

    /// <summary>A computer for the rows of <paramref name="input"/> (not thread-safe; one per row or cursor).</summary>
    public abstract IAddedColumns Bind(DataViewRow input);

    /// <summary>
    /// A computer of whole blocks of rows of the cursor <paramref name="input"/> (for <see cref="BlockCursor"/>),
    /// or null when this appender computes one row at a time only.
    /// </summary>
    public virtual IBlockColumns? BindBlock(DataViewRow input) => null;

    /// <summary>Index of an added column among the added columns, or -1 for an input column.</summary>
    public int AddedIndex(DataViewSchema.Column column) => column.Index >= InputSchema.Count ? column.Index - InputSchema.Count : -1;

    /// <summary>The input columns needed to produce <paramref name="columns"/> of the output schema.</summary>
    public IEnumerable<DataViewSchema.Column> InputColumnsFor(IEnumerable<DataViewSchema.Column> columns)
    {
        var needed = new HashSet<int>();
        foreach (DataViewSchema.Column column in columns)
        {
            if (AddedIndex(column) < 0) needed.Add(column.Index);
            else foreach (DataViewSchema.Column dependency in Dependencies) needed.Add(dependency.Index);
        }
        return needed.Order().Select(i => InputSchema[i]);
    }
}

/// <summary>The added columns' values for the current row of one input row or cursor.</summary>
internal interface IAddedColumns
{
    /// <summary>The getter of added column <paramref name="addedIndex"/>; values are computed lazily, once per position.</summary>
    Delegate GetGetter(int addedIndex);
}
