using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Tagging;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained sequence tagger. <c>Transform</c> appends <c>PredictedLabel</c> (a key vector over the tags,
/// with their names as KeyValues, one per token: <c>MapKeyToValue</c> turns it into string[] tags) and
/// <c>Score</c> (one confidence per token: the CRF marginal of the chosen tag, or its softmax probability)
/// to any data that has the token column it was trained on. Rows are scored in packed blocks;
/// <c>PredictionEngine</c> scores one row at a time.
/// </summary>
public sealed class SequenceTaggingTransformer : AppendingTransformer
{
    internal SequenceTaggingTransformer(TaggerNetwork network, TaggingColumns columns, TagSet tags, IReadOnlyList<RecurrentEpochMetrics> history, int? numberOfThreads = null)
    {
        Network = network;
        Columns = columns;
        Tags = tags;
        TrainingHistory = history;
        NumberOfThreads = numberOfThreads;
    }

    internal TaggerNetwork Network { get; }

    internal TaggingColumns Columns { get; }

    internal TagSet Tags { get; }

    internal int? NumberOfThreads { get; }

    /// <summary>The token column the tagger reads.</summary>
    public string TokenColumnName => Columns.TokenColumn;

    /// <summary>The tags, in key order (key k is TagNames[k - 1]).</summary>
    public IReadOnlyList<string> TagNames => Tags.Names;

    /// <summary>The scheme that restricts the predicted sequences (None when any sequence is allowed).</summary>
    public TagScheme TagScheme => Tags.Scheme;

    /// <summary>What each training epoch achieved (empty for a loaded model).</summary>
    public IReadOnlyList<RecurrentEpochMetrics> TrainingHistory { get; }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new TaggingScoringAppender(this, inputSchema);

    /// <summary>The output columns: PredictedLabel (key vector with the tag names) and Score (Single vector).</summary>
    internal static DataViewSchema OutputColumns(IReadOnlyList<string> tags)
    {
        var builder = new DataViewSchema.Builder();
        StepColumns.AddKeyVector(builder, "PredictedLabel", tags.Count, tags);
        StepColumns.AddFloatVector(builder, "Score");
        return builder.ToSchema();
    }
}
