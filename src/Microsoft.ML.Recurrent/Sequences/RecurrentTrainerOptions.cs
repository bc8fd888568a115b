using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Sequences;

/// <summary>
/// Options of the recurrent sequence trainers (binary, multiclass, regression). The defaults train a
/// one-layer LSTM with 64 hidden units and Adam; they suit short text and series of a few hundred steps.
/// </summary>
public sealed class RecurrentTrainerOptions
{
    /// <summary>The label column: Boolean (binary), a UInt32 key (multiclass) or Single (regression).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// The sequence column: a vector of keys (token ids, e.g. from TokenizeIntoWords then MapValueToKey)
    /// or a vector of Single frames, variable-length (T*F values) or fixed-length (read as T steps).
    /// </summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Floats per step of a Single feature column; 0 infers it (F of a [0, F]-shaped vector, else 1).</summary>
    public int FrameSize { get; set; }

    /// <summary>The recurrent cell. <see cref="CellType.ElmanRelu"/> is the IRNN (identity-initialized).</summary>
    public CellType Cell { get; set; } = CellType.Lstm;

    /// <summary>Hidden units per direction and layer.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Stacked recurrent layers.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Whether each layer also reads the sequence backwards.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>Width of the learned token embedding (key-vector features only).</summary>
    public int EmbeddingSize { get; set; } = 64;

    /// <summary>How the recurrent outputs become one vector per sequence.</summary>
    public SequencePooling Pooling { get; set; } = SequencePooling.LastState;

    /// <summary>Dropout on the recurrent input (variational: one mask per sequence), between stacked layers and on the pooled features, in [0, 1).</summary>
    public float Dropout { get; set; }

    /// <summary>Probability of replacing a training token by the unknown id 0, which teaches the model to handle unseen words; in [0, 1).</summary>
    public float TokenDropout { get; set; }

    /// <summary>The optimizer.</summary>
    public RecurrentOptimizer Optimizer { get; set; } = RecurrentOptimizer.Adam;

    /// <summary>Learning rate.</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Weight decay (L2 for Adam/SGD/RMSProp/Adagrad, decoupled for AdamW).</summary>
    public float WeightDecay { get; set; }

    /// <summary>Passes over the training data.</summary>
    public int NumberOfEpochs { get; set; } = 10;

    /// <summary>Sequences per mini-batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Clip the gradient to this global L2 norm before each step; 0 disables clipping.</summary>
    public float GradientClipNorm { get; set; } = 5f;

    /// <summary>
    /// Fraction of the training rows (chosen by the seed) held out to pick the best epoch and stop early,
    /// when no validation data is passed to <c>Fit</c>; 0 uses all rows for training.
    /// </summary>
    public float ValidationFraction { get; set; }

    /// <summary>Stop after this many epochs without a better validation metric (0: never stop early). The best epoch's weights are kept.</summary>
    public int EarlyStoppingPatience { get; set; } = 3;

    /// <summary>Rows read into memory and shuffled together; larger data streams through in chunks of this size.</summary>
    public int ShuffleBufferSize { get; set; } = 100_000;

    /// <summary>Seed for initialization, shuffling and dropout; null takes one from the MLContext (so <c>new MLContext(seed)</c> makes training repeatable).</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// When set, training state (weights, optimizer, early stopping, epoch) is saved to this file every
    /// <see cref="CheckpointFrequency"/> epochs, atomically. If the file exists when Fit starts, training
    /// resumes from it, and the result equals an uninterrupted run with the same seed and data. The file is
    /// deleted when training completes.
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>Epochs between checkpoints.</summary>
    public int CheckpointFrequency { get; set; } = 1;

    /// <summary>Cancels training between mini-batches (Fit then throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws on an option outside its range, naming it.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentOutOfRangeException.ThrowIfNegative(FrameSize, nameof(FrameSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfLayers, 1, nameof(NumberOfLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        CheckProbability(Dropout, nameof(Dropout));
        CheckProbability(TokenDropout, nameof(TokenDropout));
        if (!(LearningRate > 0 && float.IsFinite(LearningRate))) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        if (!(WeightDecay >= 0 && float.IsFinite(WeightDecay))) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "Weight decay must be zero or positive.");
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfEpochs, 1, nameof(NumberOfEpochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!(GradientClipNorm >= 0 && float.IsFinite(GradientClipNorm))) throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), GradientClipNorm, "The clipping norm must be zero (off) or positive.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 1).");
        ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
        ArgumentOutOfRangeException.ThrowIfLessThan(ShuffleBufferSize, 1, nameof(ShuffleBufferSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CheckpointFrequency, 1, nameof(CheckpointFrequency));
    }

    private static void CheckProbability(float value, string name)
    {
        if (!(value >= 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
    }
}
