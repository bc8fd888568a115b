namespace Microsoft.ML.Recurrent;

/// <summary>Which tag scheme restricts a tagger's CRF to valid sequences.</summary>
public enum TagScheme
{
    /// <summary>Detected from the tag names: BIOES when an E- or S- tag is present, BIO when every tag is O or B-/I-, else none.</summary>
    Auto,
    /// <summary>Every sequence of tags is allowed (e.g. part of speech).</summary>
    None,
    /// <summary>I-X only after B-X or I-X, never first.</summary>
    Bio,
    /// <summary>BIO, plus B-X/I-X must continue with I-X/E-X, and S-X stands alone.</summary>
    Bioes,
}

/// <summary>
/// Options of the BiLSTM-CRF sequence tagger: a token column (a vector of text) and a label column (a key
/// vector, one tag per token) in; one predicted tag per token out. The defaults train a one-layer BiLSTM
/// with 128 units per direction over 100-wide word embeddings, a character CNN and casing features, with a CRF restricted
/// to the tag scheme the tag names show. Optimization, validation, checkpoints and progress are those of
/// <see cref="RecurrentTrainingOptions"/>.
/// </summary>
public sealed class SequenceTaggerOptions : RecurrentTrainingOptions
{
    /// <summary>Creates the options with the tagger's defaults (20 epochs, dropout between 0.3 and 0.5 as taggers use).</summary>
    public SequenceTaggerOptions()
    {
        NumberOfEpochs = 20;
        EarlyStoppingPatience = 4;
    }

    /// <summary>The token column: a vector of text (e.g. from TokenizeIntoWords, or a string[] property).</summary>
    public string TokenColumnName { get; set; } = "Tokens";

    /// <summary>The tag column: a vector of keys (MapValueToKey over string[] tags), as long as the token vector in every row.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The recurrent cell of the bidirectional layers.</summary>
    public CellType Cell { get; set; } = CellType.Lstm;

    /// <summary>Hidden units per direction.</summary>
    public int HiddenSize { get; set; } = 128;

    /// <summary>Stacked bidirectional layers.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Width of the word embeddings learned from the training tokens.</summary>
    public int WordEmbeddingSize { get; set; } = 100;

    /// <summary>Words seen fewer times in training share the unknown-word embedding (lower-cased words are counted).</summary>
    public int MinimumWordFrequency { get; set; } = 1;

    /// <summary>Probability of replacing a training word by the unknown word, which teaches the model to tag unseen words; in [0, 1).</summary>
    public float WordDropout { get; set; } = 0.05f;

    /// <summary>Whether each word also gets character features: a character CNN (embeddings of <see cref="CharacterEmbeddingSize"/>, <see cref="CharacterFilters"/> filters over 3 characters, max over positions), which tags unseen words by their spelling.</summary>
    public bool UseCharacterFeatures { get; set; } = true;

    /// <summary>Width of a character's embedding.</summary>
    public int CharacterEmbeddingSize { get; set; } = 25;

    /// <summary>Character convolution filters (the width of a word's character vector).</summary>
    public int CharacterFilters { get; set; } = 30;

    /// <summary>Whether each token also gets casing and shape features (lower, upper, capitalized, digits, other).</summary>
    public bool UseCasingFeatures { get; set; } = true;

    /// <summary>Variational dropout on the recurrent input and between layers, in [0, 1).</summary>
    public float Dropout { get; set; } = 0.33f;

    /// <summary>Whether a CRF scores whole tag sequences (true) or a softmax scores each token alone (false, for comparison).</summary>
    public bool UseCrf { get; set; } = true;

    /// <summary>The tag scheme that restricts the CRF's training and decoding to valid sequences.</summary>
    public TagScheme TagScheme { get; set; } = TagScheme.Auto;

    internal override void Validate()
    {
        base.Validate();
        ArgumentException.ThrowIfNullOrEmpty(TokenColumnName, nameof(TokenColumnName));
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        if (!Enum.IsDefined(Cell)) throw new ArgumentOutOfRangeException(nameof(Cell), Cell, "Unknown cell type.");
        ArgumentOutOfRangeException.ThrowIfLessThan(HiddenSize, 1, nameof(HiddenSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(NumberOfLayers, 1, nameof(NumberOfLayers));
        ArgumentOutOfRangeException.ThrowIfLessThan(WordEmbeddingSize, 1, nameof(WordEmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumWordFrequency, 1, nameof(MinimumWordFrequency));
        ArgumentOutOfRangeException.ThrowIfLessThan(CharacterEmbeddingSize, 1, nameof(CharacterEmbeddingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CharacterFilters, 1, nameof(CharacterFilters));
        CheckProbability(WordDropout, nameof(WordDropout));
        CheckProbability(Dropout, nameof(Dropout));
        if (!Enum.IsDefined(TagScheme)) throw new ArgumentOutOfRangeException(nameof(TagScheme), TagScheme, "Unknown tag scheme.");
    }

    internal override string Fingerprint => $"{base.Fingerprint}, word dropout {WordDropout}, min frequency {MinimumWordFrequency}";
}
