using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;

using Microsoft.ML.Recurrent.Sequences;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// Options of the recurrent sequence trainers (binary, multiclass, regression). The defaults train a
/// one-layer LSTM with 64 hidden units and Adam; they suit short text and series of a few hundred steps.
/// The optimization, validation, checkpoint and progress options are those of <see cref="RecurrentTrainingOptions"/>.
/// </summary>
public sealed class RecurrentTrainerOptions : RecurrentTrainingOptions
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

    /// <summary>Throws on an option outside its range, naming it.</summary>
    internal override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentOutOfRangeException.ThrowIfNegative(FrameSize, nameof(FrameSize));
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfLayers, 1, nameof(NumberOfLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        CheckProbability(Dropout, nameof(Dropout));
        CheckProbability(TokenDropout, nameof(TokenDropout));
    }

    internal override string Fingerprint => $"{base.Fingerprint}, token dropout {TokenDropout}";
}
