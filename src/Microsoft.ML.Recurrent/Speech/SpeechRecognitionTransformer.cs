using Microsoft.ML.Recurrent.Data;
using Microsoft.ML.Recurrent.Engine.Decoding;
using Microsoft.ML.Recurrent.Engine.Models;
using Microsoft.ML.Recurrent.Engine.Tensors;
using Microsoft.ML.Recurrent.Speech;

namespace Microsoft.ML.Recurrent;

/// <summary>
/// A trained CTC speech recognizer. <c>Transform</c> appends, for each row's frames, the recognized text, its symbols
/// as a key vector (the symbols as KeyValues) and, when named, each symbol's spike frame (greedy decoding). It is a
/// row-to-row mapper, so <c>PredictionEngine</c> works.
/// </summary>
public sealed class SpeechRecognitionTransformer : AppendingTransformer
{
    private readonly object _gate = new();

    internal SpeechRecognitionTransformer(AcousticNetwork network, SequenceFeatureColumn features, SymbolVocabulary vocabulary, SpeechColumns columns, IReadOnlyList<RecurrentEpochMetrics> history)
    {
        Network = network;
        Features = features;
        Vocabulary = vocabulary;
        Columns = columns;
        TrainingHistory = history;
    }

    internal AcousticNetwork Network { get; }

    internal SequenceFeatureColumn Features { get; }

    internal SymbolVocabulary Vocabulary { get; }

    internal SpeechColumns Columns { get; }

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

    /// <summary>Greedy decoding of one utterance: vocabulary ids with their spike frames.</summary>
    internal IReadOnlyList<(int Id, int Frame)> Decode(ReadOnlySpan<float> frames, int length)
    {
        lock (_gate)
        {
            SequenceLayout layout = SequenceLayout.FromSortedLengths([length]);
            ReadOnlySpan<float> logits = Network.Forward(layout, frames);
            int classes = Network.Architecture.ClassCount;
            return [.. CtcDecoder.GreedyWithTimes(SpeechTrainingModel.Rows(Network.OutputLayout, logits, 0, classes), classes, blank: 0).Select(x => (x.Label + 1, x.Frame))];
        }
    }

    private protected override ColumnAppender CreateAppender(DataViewSchema inputSchema) => new SpeechRecognitionAppender(this, inputSchema);
}
