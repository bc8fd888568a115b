using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Loads WAV files named by a text column into a samples column (a variable-size vector of Single in [-1, 1], mono,
/// at <see cref="AudioLoadingTransformer.SampleRate"/>): <c>mlContext.Transforms.LoadAudio(...)</c>. Nothing is learned.
/// </summary>
public sealed class AudioLoadingEstimator : IEstimator<AudioLoadingTransformer>
{
    private readonly AudioLoadingTransformer _transformer;

    internal AudioLoadingEstimator(string outputColumnName, string inputColumnName, int sampleRate) =>
        _transformer = new AudioLoadingTransformer(outputColumnName, inputColumnName, sampleRate);

    /// <summary>The transformer (no fitting: loading needs nothing from the data).</summary>
    public AudioLoadingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _transformer.GetOutputSchema(input.Schema);
        return _transformer;
    }

    /// <summary>The input columns followed by the samples column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SequenceFeatureColumn.RequireScalarText(inputSchema, _transformer.InputColumnName, "path", "file paths");
        return MLNetInternals.Append(inputSchema, _transformer.AddedColumns());
    }
}

/// <summary>A WAV loader: appends the samples of the file each row names, mixed to mono and resampled to <see cref="SampleRate"/>.</summary>
public sealed class AudioLoadingTransformer : AppendingTransformer
{
    internal AudioLoadingTransformer(string outputColumnName, string inputColumnName, int sampleRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        (OutputColumnName, InputColumnName, SampleRate) = (outputColumnName, inputColumnName, sampleRate);
    }

    /// <summary>The samples column written.</summary>
    public string OutputColumnName { get; }

    /// <summary>The path column read (relative paths resolve against the current directory).</summary>
    public string InputColumnName { get; }

    /// <summary>The rate every file is resampled to.</summary>
    public int SampleRate { get; }

    internal DataViewSchema AddedColumns()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, 0));
        return builder.ToSchema();
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new Audio.AudioLoadingAppender(this, inputSchema);
}
