using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// What every Microsoft.ML.Recurrent transformer shares: it appends its prediction columns to the rows it is
/// given (lazily, as a row-to-row mapper, so <c>PredictionEngine</c> works) and is saved with
/// <c>mlContext.Model.SaveRecurrentModel</c>. Each model supplies the column appender that computes its columns.
/// </summary>
public abstract class AppendingTransformer : ITransformer
{
    private protected AppendingTransformer() { }

    /// <summary>The appender of this model's columns for rows of <paramref name="inputSchema"/> (checks the schema).</summary>
    private protected abstract ColumnAppender CreateAppender(DataViewSchema inputSchema);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => CreateAppender(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new AppendedDataView(input, CreateAppender(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => new AppendedRowToRowMapper(CreateAppender(inputSchema));

    /// <summary>Not supported: ML.NET's model format cannot store transformers from other libraries; use <c>mlContext.Model.SaveRecurrentModel</c>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw new NotSupportedException(
        "mlContext.Model.Save cannot store Microsoft.ML.Recurrent transformers (ML.NET's save context is internal to ML.NET). "
        + "Save the whole pipeline with mlContext.Model.SaveRecurrentModel(model, inputSchema, path) and load it with mlContext.Model.LoadRecurrentModel(path, out inputSchema).");
}
