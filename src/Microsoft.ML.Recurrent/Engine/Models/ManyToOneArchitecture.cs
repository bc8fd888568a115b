using Microsoft.ML.Recurrent.Engine.Cells;
using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>The shape of a <see cref="ManyToOneNetwork"/>.</summary>
/// <param name="Cell">Recurrent cell.</param>
/// <param name="InputSize">Features per step (the embedding size when <see cref="VocabularySize"/> &gt; 0).</param>
/// <param name="HiddenSize">Hidden units per direction.</param>
/// <param name="OutputSize">Scores per sequence.</param>
public sealed record ManyToOneArchitecture(CellType Cell, int InputSize, int HiddenSize, int OutputSize)
{
    /// <summary>Stacked recurrent layers.</summary>
    public int NumLayers { get; init; } = 1;

    /// <summary>Whether each layer reads the sequence in both directions.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>When &gt; 0 the inputs are token ids in [0, VocabularySize) looked up in an embedding table of width <see cref="InputSize"/>.</summary>
    public int VocabularySize { get; init; }

    /// <summary>Drop probability for the recurrent input (variational: one mask per sequence), between stacked layers and on the pooled features.</summary>
    public float Dropout { get; init; }

    /// <summary>How the recurrent outputs become one vector per sequence.</summary>
    public SequencePooling Pooling { get; init; } = SequencePooling.LastState;

    /// <summary>Throws when a size is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 1, nameof(InputSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutputSize, 1, nameof(OutputSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumLayers, 1, nameof(NumLayers));
        ArgumentOutOfRangeException.ThrowIfNegative(VocabularySize, nameof(VocabularySize));
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
    }
}
