using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Decoding;

namespace Microsoft.ML.Recurrent.Speech;

/// <summary>
/// A recognizer's decoding: greedy, or prefix beam search through a <see cref="CtcPrefixScorer"/> (language model,
/// lexicon, bonus) with the spikes of the winner placed by forced alignment. Network class k is the vocabulary's
/// symbol k + 1 (class 0 is the blank).
/// </summary>
internal sealed class SpeechDecoder
{
    private readonly CtcPrefixScorer? _scorer;

    /// <param name="vocabulary">The recognizer's symbols.</param>
    /// <param name="beamWidth">Prefixes kept per frame (1 and no scorer: greedy).</param>
    /// <param name="languageModel">The n-gram model, or null.</param>
    /// <param name="wordLanguageModel">Whether the model counts words of a character recognizer.</param>
    /// <param name="weight">The model's weight.</param>
    /// <param name="bonus">The insertion bonus.</param>
    /// <param name="lexicon">The allowed words, or null.</param>
    public SpeechDecoder(SymbolVocabulary vocabulary, int beamWidth, NGramLanguageModel? languageModel, bool wordLanguageModel, float weight, float bonus, string[]? lexicon)
    {
        BeamWidth = beamWidth;
        LanguageModel = languageModel;
        WordLanguageModel = wordLanguageModel;
        Weight = weight;
        Bonus = bonus;
        Lexicon = lexicon;
        if (beamWidth > 1 || languageModel is not null || lexicon is not null)
        {
            string[] labels = [.. vocabulary.Symbols.Skip(1)];
            _scorer = new CtcPrefixScorer(labels, vocabulary.Unit == SymbolUnit.Character ? " " : null, languageModel, wordLanguageModel, weight, bonus, lexicon);
        }
    }

    /// <summary>Greedy decoding, the default.</summary>
    public static SpeechDecoder Greedy(SymbolVocabulary vocabulary) => new(vocabulary, 1, null, false, 0, 0, null);

    /// <summary>The decoder the options describe, training its language model from their text.</summary>
    public static SpeechDecoder Create(SymbolVocabulary vocabulary, SpeechDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        bool words = vocabulary.Unit == SymbolUnit.Character && options.LanguageModelUnit == SymbolUnit.Word;
        NGramLanguageModel? model = null;
        if (options.LanguageModelText is { } text)
        {
            SymbolUnit unit = words ? SymbolUnit.Word : vocabulary.Unit;
            List<IReadOnlyList<string>> sentences = [.. text.Select((line, row) => line is null
                ? throw new ArgumentException($"The language-model text's line {row + 1} is null.", nameof(options))
                : (IReadOnlyList<string>)[.. SymbolVocabulary.Split(unit, line)])];
            if (sentences.All(s => s.Count == 0)) throw new ArgumentException("The language-model text holds no symbols.", nameof(options));
            model = NGramLanguageModel.Train(sentences, options.LanguageModelOrder, options.Smoothing);
        }
        string[]? lexicon = options.Lexicon is null ? null : [.. options.Lexicon.Where(w => !string.IsNullOrWhiteSpace(w)).Select(w => w.Trim()).Distinct(StringComparer.Ordinal)];
        if (lexicon is { Length: 0 }) throw new ArgumentException("The lexicon holds no word.", nameof(options));
        return new SpeechDecoder(vocabulary, options.BeamWidth, model, words, options.LanguageModelWeight, options.InsertionBonus, lexicon);
    }

    public int BeamWidth { get; }

    public NGramLanguageModel? LanguageModel { get; }

    public bool WordLanguageModel { get; }

    public float Weight { get; }

    public float Bonus { get; }

    public string[]? Lexicon { get; }

    /// <summary>Vocabulary ids with their spike frames, from one utterance's [T, classes] scores (logits).</summary>
    public (int Id, int Frame)[] Decode(ReadOnlySpan<float> logits, int classes)
    {
        if (_scorer is null) return [.. CtcDecoder.GreedyWithTimes(logits, classes, blank: 0).Select(x => (x.Label + 1, x.Frame))];
        var normalized = new double[logits.Length];
        Engine.Losses.LogSpace.LogSoftmax(logits, logits.Length / classes, classes, normalized);
        float[] logProbs = [.. normalized.Select(v => (float)v)];
        IReadOnlyList<CtcHypothesis> beam = CtcDecoder.BeamSearch(logProbs, classes, 0, BeamWidth, _scorer);
        // Every prefix can be ruled out (a lexicon nothing in the audio spells): then nothing is recognized.
        if (beam.Count == 0) return [];
        int[] labels = beam[0].Labels;
        int[] frames = CtcDecoder.Align(logProbs, classes, 0, labels);
        return [.. labels.Select((label, i) => (label + 1, frames[i]))];
    }
}
