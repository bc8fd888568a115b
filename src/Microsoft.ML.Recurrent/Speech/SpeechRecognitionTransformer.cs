using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Speech;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained CTC speech recognizer. <c>Transform</c> appends, for each row's frames, the recognized text, its symbols
/// as a key vector (the symbols as KeyValues) and, when named, each symbol's spike frame, decoded greedily or by beam
/// search with a language model and lexicon (<see cref="SpeechDecoderOptions"/>). It is a row-to-row mapper, so
/// <c>PredictionEngine</c> works.
/// </summary>
public sealed class SpeechRecognitionTransformer : AppendingTransformer
{
    internal SpeechRecognitionTransformer(AcousticNetwork network, SequenceFeatureColumn features, SymbolVocabulary vocabulary, SpeechColumns columns,
        SpeechDecoder decoder, IReadOnlyList<RecurrentEpochMetrics> history)
    {
        Network = network;
        Features = features;
        Vocabulary = vocabulary;
        Columns = columns;
        Decoder = decoder;
        TrainingHistory = history;
    }

    internal AcousticNetwork Network { get; }

    internal SequenceFeatureColumn Features { get; }

    internal SymbolVocabulary Vocabulary { get; }

    internal SpeechColumns Columns { get; }

    internal SpeechDecoder Decoder { get; }

    /// <summary>The acoustic model's shape.</summary>
    public AcousticArchitecture Architecture => Network.Architecture;

    /// <summary>The symbols the model writes (the first two ids are placeholders for unknown and end of text).</summary>
    public IReadOnlyList<string> Symbols => Vocabulary.Symbols;

    /// <summary>What each training epoch achieved (empty for a loaded model).</summary>
    public IReadOnlyList<RecurrentEpochMetrics> TrainingHistory { get; }

    /// <summary>Transcribes one utterance's frames (T*F values): the text and each symbol's spike frame.</summary>
    public (string Text, IReadOnlyList<(string Symbol, int Frame)> Symbols) Transcribe(float[] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        int f = Features.FrameSize;
        if (frames.Length == 0 || frames.Length % f != 0) throw new ArgumentException($"The utterance holds {frames.Length} values; the model reads frames of {f}.", nameof(frames));
        IReadOnlyList<(int Id, int Frame)> decoded = Decode(frames, frames.Length / f);
        return (Vocabulary.Decode(decoded.Select(d => d.Id)), [.. decoded.Select(d => (Vocabulary.Symbols[d.Id], d.Frame))]);
    }

    /// <summary>Whether transcripts come from a beam search (with a language model or lexicon) rather than the best path.</summary>
    public bool UsesBeamSearch => Decoder.BeamWidth > 1 || Decoder.LanguageModel is not null || Decoder.Lexicon is not null;

    /// <summary>
    /// The same acoustic model with another decoding (e.g. a beam search with a language model trained from text, or a
    /// lexicon), for tuning the decoder on validation data without retraining. The language model is trained here.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range, or the language-model text or lexicon is empty.</exception>
    public SpeechRecognitionTransformer WithDecoder(SpeechDecoderOptions options) =>
        new(Network, Features, Vocabulary, Columns, SpeechDecoder.Create(Vocabulary, options), TrainingHistory);

    /// <summary>Decodes one utterance: vocabulary ids with their spike frames.</summary>
    internal IReadOnlyList<(int Id, int Frame)> Decode(ReadOnlySpan<float> frames, int length)
    {
        int classes = Network.Architecture.ClassCount;
        float[] logProbs;
        // The network's buffers are its own: one forward pass at a time (models made by WithDecoder share the network).
        lock (Network)
        {
            SequenceLayout layout = SequenceLayout.FromSortedLengths([length]);
            ReadOnlySpan<float> logits = Network.Forward(layout, frames);
            logProbs = SpeechTrainingModel.Rows(Network.OutputLayout, logits, 0, classes);
        }
        return Decoder.Decode(logProbs, classes);
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new SpeechRecognitionAppender(this, inputSchema);
}
