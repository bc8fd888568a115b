using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Memory;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Stores the rows of a vector column as the patterns of a Hopfield network (classic binary, Hebbian or Storkey;
/// or modern continuous). Create it from the catalog: <c>mlContext.Transforms.HopfieldMemory(options)</c>.
/// </summary>
public sealed class HopfieldMemoryEstimator : IEstimator<HopfieldMemoryTransformer>
{
    private readonly HopfieldMemoryOptions _options;

    internal HopfieldMemoryEstimator(HopfieldMemoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
    }

    /// <summary>Stores every row of <paramref name="input"/>'s pattern column.</summary>
    public HopfieldMemoryTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        (var column, int size) = PatternColumn.Check(input.Schema, _options.InputColumnName);
        List<float[]> patterns = PatternColumn.ReadAll(input, column, size, _options.Kind == HopfieldMemoryKind.Binary);
        return new HopfieldMemoryTransformer(new HopfieldMemory(_options, size, patterns));
    }

    /// <summary>The input columns followed by Recalled (Single vector of N), Energy (Single), Iterations (Int32) and MatchedPattern (Int32).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaShape.Column column = SequenceFeatureColumn.FindShape(inputSchema, _options.InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The pattern column '{_options.InputColumnName}' is not in the input schema.");
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != Microsoft.ML.Data.NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The pattern column '{column.Name}' is a {column.Kind} of {column.ItemType}; an associative memory reads a vector of Single of fixed size.");
        return MLNetInternals.Append(inputSchema, HopfieldMemoryTransformer.OutputColumns(0));
    }
}
