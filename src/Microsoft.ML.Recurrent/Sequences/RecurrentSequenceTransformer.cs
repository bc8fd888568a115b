using Microsoft.ML.Data;
using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Models;

using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained recurrent sequence model. <c>Transform</c> lazily appends the prediction columns
/// (binary: Score, Probability, PredictedLabel; multiclass: Score vector, PredictedLabel key;
/// regression: Score) to any data that has the sequence column it was trained on. It is a
/// row-to-row mapper, so <c>PredictionEngine</c> works; every row or cursor gets its own copy of
/// the network's workspaces, so it is safe to use from several threads.
/// </summary>
public sealed class RecurrentSequenceTransformer : AppendingTransformer
{
    internal RecurrentSequenceTransformer(ManyToOneNetwork network, SequenceFeatureColumn features, SequenceObjective objective,
        IReadOnlyList<RecurrentEpochMetrics> history, int? numberOfThreads = null)
    {
        Network = network;
        NumberOfThreads = numberOfThreads;
        Features = features;
        Objective = objective;
        TrainingHistory = history;
    }

    internal ManyToOneNetwork Network { get; }

    internal SequenceFeatureColumn Features { get; }

    internal SequenceObjective Objective { get; }

    /// <summary>Threads batched scoring uses (the trainer's NumberOfThreads); null for the engine's default.</summary>
    internal int? NumberOfThreads { get; }

    /// <summary>The sequence column the model reads.</summary>
    public string FeatureColumnName => Features.Name;

    /// <summary>The network's shape (cell, sizes, layers, pooling).</summary>
    public ManyToOneArchitecture Architecture => Network.Architecture;

    /// <summary>What each training epoch achieved (empty for a loaded model).</summary>
    public IReadOnlyList<RecurrentEpochMetrics> TrainingHistory { get; }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new SequenceScoringAppender(this, inputSchema);
}
