namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>The shape of a <see cref="LanguageModelNetwork"/>.</summary>
/// <param name="VocabularySize">V: symbol ids in [0, V).</param>
public sealed record LanguageModelArchitecture(int VocabularySize)
{
    /// <summary>The recurrent cell.</summary>
    public CellType Cell { get; init; } = CellType.Lstm;

    /// <summary>E, the symbol embedding width.</summary>
    public int EmbeddingSize { get; init; } = 128;

    /// <summary>H, hidden units of each layer.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; init; } = 2;

    /// <summary>Variational dropout on the recurrent input and between layers, and dropout on the top layer's output.</summary>
    public float Dropout { get; init; }

    /// <summary>Whether the output layer reuses the embedding as its weight (Press and Wolf 2017; needs E = H).</summary>
    public bool TieWeights { get; init; }

    /// <summary>Throws when a size is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VocabularySize, 2, nameof(VocabularySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumLayers, 1, nameof(NumLayers));
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (TieWeights && EmbeddingSize != HiddenSize)
            throw new ArgumentException($"Tied weights need the embedding width ({EmbeddingSize}) to equal the hidden size ({HiddenSize}).", nameof(TieWeights));
    }
}
