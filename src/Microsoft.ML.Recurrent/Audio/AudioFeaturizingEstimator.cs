using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Computes frames of audio features (log-mel, MFCC, Kaldi fbank or MFCC) from a samples column:
/// <c>mlContext.Transforms.AudioFeatures(options)</c>. Nothing is learned.
/// </summary>
public sealed class AudioFeaturizingEstimator : IEstimator<AudioFeaturizingTransformer>
{
    private readonly AudioFeaturizingTransformer _transformer;

    internal AudioFeaturizingEstimator(AudioFeatureOptions options) => _transformer = new AudioFeaturizingTransformer(options);

    /// <summary>The transformer (no fitting).</summary>
    public AudioFeaturizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <summary>The input columns followed by the features column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        string name = _transformer.Options.InputColumnName;
        SchemaShape.Column samples = SequenceFeatureColumn.FindShape(inputSchema, name)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The samples column '{name}' is not in the input schema.");
        if (samples.Kind == SchemaShape.Column.VectorKind.Scalar || samples.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"The samples column '{name}' is a {samples.Kind} of {samples.ItemType}; it must be a vector of Single.");
        return MLNetInternals.Append(inputSchema, _transformer.AddedColumns());
    }
}

/// <summary>An audio featurizer: appends a [frames, F] vector of features (VectorDataViewType(Single, 0, F)) computed from each row's samples.</summary>
public sealed class AudioFeaturizingTransformer : AppendingTransformer
{
    internal AudioFeaturizingTransformer(AudioFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
    }

    /// <summary>The settings (a copy).</summary>
    public AudioFeatureOptions Options { get; }

    internal DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, 0, Options.FeatureSize));
        return builder.ToSchema();
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new Audio.AudioFeaturizingAppender(this, inputSchema);
}
