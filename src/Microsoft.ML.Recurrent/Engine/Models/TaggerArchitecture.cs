using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Engine.Models;

/// <summary>The shape of a <see cref="TaggerNetwork"/>.</summary>
/// <param name="VocabularySize">V: word ids in [0, V), 0 being the unknown word.</param>
/// <param name="TagCount">K.</param>
public sealed record TaggerArchitecture(int VocabularySize, int TagCount)
{
    /// <summary>The recurrent cell.</summary>
    public CellType Cell { get; init; } = CellType.Lstm;

    /// <summary>E, the word embedding width.</summary>
    public int EmbeddingSize { get; init; } = 100;

    /// <summary>Character ids in [0, CharacterVocabularySize) feed a <see cref="Layers.CharacterCnn"/> per word; 0 for no character features.</summary>
    public int CharacterVocabularySize { get; init; }

    /// <summary>Width of a character's embedding.</summary>
    public int CharacterEmbeddingSize { get; init; } = 25;

    /// <summary>Character convolution filters: the width of a word's character vector.</summary>
    public int CharacterFilters { get; init; } = 30;

    /// <summary>F, extra features per token (e.g. casing), joined to the embedding.</summary>
    public int FeatureSize { get; init; }

    /// <summary>Hidden units per direction.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Stacked bidirectional layers.</summary>
    public int NumLayers { get; init; } = 1;

    /// <summary>Variational dropout on the recurrent input and between layers.</summary>
    public float Dropout { get; init; }

    /// <summary>Whether a CRF scores whole tag sequences (else an independent softmax per token).</summary>
    public bool UseCrf { get; init; } = true;

    /// <summary>Which tag sequences the CRF may produce (BIO/BIOES), or null for all.</summary>
    public TagConstraints? Constraints { get; init; }

    /// <summary>Width of a character vector per word (0 without character features).</summary>
    public int CharacterWidth => CharacterVocabularySize > 0 ? CharacterFilters : 0;

    /// <summary>Throws when a size is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(VocabularySize, 1, nameof(VocabularySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(TagCount, 1, nameof(TagCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(EmbeddingSize, 1, nameof(EmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfNegative(FeatureSize, nameof(FeatureSize));
        ArgumentOutOfRangeException.ThrowIfNegative(CharacterVocabularySize, nameof(CharacterVocabularySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CharacterEmbeddingSize, 1, nameof(CharacterEmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CharacterFilters, 1, nameof(CharacterFilters));
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumLayers, 1, nameof(NumLayers));
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (Constraints is not null && Constraints.TagCount != TagCount)
            throw new ArgumentException($"The constraints are for {Constraints.TagCount} tags; the tagger has {TagCount}.", nameof(Constraints));
    }
}
