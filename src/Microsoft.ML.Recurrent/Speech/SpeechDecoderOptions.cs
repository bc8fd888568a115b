namespace Microsoft.ML.Recurrent;

/// <summary>
/// How a speech recognizer turns its per-frame symbol probabilities into text: greedy (best path) by default, or a CTC
/// prefix beam search with an optional n-gram language model trained from text (Kneser-Ney or Witten-Bell), a language
/// model weight, an insertion bonus and an optional lexicon. Set it on <see cref="SpeechRecognitionOptions.Decoder"/>
/// before training, or give it to <see cref="SpeechRecognitionTransformer.WithDecoder"/> to re-decode a trained model.
/// </summary>
public sealed class SpeechDecoderOptions
{
    /// <summary>Prefixes kept per frame; 1 without a language model or lexicon is greedy decoding.</summary>
    public int BeamWidth { get; set; } = 1;

    /// <summary>Sentences to train the n-gram language model from (e.g. the training transcripts, or any text of the domain); null for none.</summary>
    public IEnumerable<string>? LanguageModelText { get; set; }

    /// <summary>
    /// What the language model counts: the recognizer's own symbols (<see cref="SymbolUnit.Character"/> for a character
    /// recognizer), or words (<see cref="SymbolUnit.Word"/>: each word scored as it completes).
    /// </summary>
    public SymbolUnit LanguageModelUnit { get; set; } = SymbolUnit.Word;

    /// <summary>n, the language model's order.</summary>
    public int LanguageModelOrder { get; set; } = 3;

    /// <summary>The language model's smoothing.</summary>
    public NGramSmoothing Smoothing { get; set; } = NGramSmoothing.KneserNey;

    /// <summary>The weight of the language model's log-probabilities against the acoustic ones.</summary>
    public float LanguageModelWeight { get; set; } = 0.5f;

    /// <summary>Log-score added per scored unit (a symbol, or a word with a word model), against the model's preference for short transcripts.</summary>
    public float InsertionBonus { get; set; }

    /// <summary>The words a transcript may hold (a character recognizer only spells these; a token recognizer only writes these); null for any.</summary>
    public IEnumerable<string>? Lexicon { get; set; }

    /// <summary>Throws on an option outside its range, naming it.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BeamWidth, 1, nameof(BeamWidth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BeamWidth, 4096, nameof(BeamWidth));
        if (!Enum.IsDefined(LanguageModelUnit)) throw new ArgumentOutOfRangeException(nameof(LanguageModelUnit), LanguageModelUnit, "Unknown unit.");
        if (!Enum.IsDefined(Smoothing)) throw new ArgumentOutOfRangeException(nameof(Smoothing), Smoothing, "Unknown smoothing.");
        ArgumentOutOfRangeException.ThrowIfLessThan(LanguageModelOrder, 1, nameof(LanguageModelOrder));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(LanguageModelOrder, 16, nameof(LanguageModelOrder));
        if (!float.IsFinite(LanguageModelWeight) || LanguageModelWeight < 0) throw new ArgumentOutOfRangeException(nameof(LanguageModelWeight), LanguageModelWeight, "The weight must be finite and not negative.");
        if (!float.IsFinite(InsertionBonus)) throw new ArgumentOutOfRangeException(nameof(InsertionBonus), InsertionBonus, "The bonus must be finite.");
    }
}
