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

    internal AudioFeaturizingEstimator(AudioFeatureOptions options) => _transformer = new AudioFeaturizingTransformer(options, null, null);

    /// <summary>The transformer; with <see cref="AudioNormalization.Global"/>, the per-feature mean and variance of <paramref name="input"/>'s features are learned here.</summary>
    public AudioFeaturizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        if (_transformer.Options.Normalization != AudioNormalization.Global) return _transformer;
        // Features of every row before normalization: the transformer without statistics leaves them as they are.
        IEnumerable<float[]> features = _transformer.Transform(input).GetColumn<float[]>(_transformer.Options.OutputColumnName);
        (double[] mean, double[] variance) = Audio.FeatureDeltas.Statistics(features, _transformer.Options.FeatureSize);
        return new AudioFeaturizingTransformer(_transformer.Options, mean, variance);
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
    internal AudioFeaturizingTransformer(AudioFeatureOptions options, double[]? mean, double[]? variance)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        if ((mean is null) != (variance is null) || (mean is not null && (mean.Length != Options.FeatureSize || variance!.Length != Options.FeatureSize)))
            throw new ArgumentException($"Global statistics need a mean and a variance of {Options.FeatureSize} values each.");
        (Mean, Variance) = (mean, variance);
    }

    /// <summary>The settings (a copy).</summary>
    public AudioFeatureOptions Options { get; }

    /// <summary>The per-feature mean learned in Fit (Global normalization), or null.</summary>
    public IReadOnlyList<double>? Mean { get; }

    /// <summary>The per-feature variance learned in Fit (Global normalization), or null.</summary>
    public IReadOnlyList<double>? Variance { get; }

    internal DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(Options.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, 0, Options.FeatureSize));
        return builder.ToSchema();
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new Audio.AudioFeaturizingAppender(this, inputSchema);
}
