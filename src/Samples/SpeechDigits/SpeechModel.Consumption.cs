using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.SpeechDigits;

/// <summary>Consumption part: transcribe utterances with a trained (or loaded) model of one or more recognizers.</summary>
internal static partial class SpeechModel
{
    /// <summary>One recognized utterance.</summary>
    public sealed class Recognition
    {
        public string Id { get; set; } = "";
        public string Transcript { get; set; } = "";
        public string PredictedTranscript { get; set; } = "";

        /// <summary>Each ensemble member's transcript (the first is <see cref="PredictedTranscript"/> until a vote).</summary>
        public string[] Members { get; set; } = [];
    }

    /// <summary>The chain's recognizers (ensemble members), in order.</summary>
    public static SpeechRecognitionTransformer[] Recognizers(ITransformer model) => [.. ((IEnumerable<ITransformer>)model).OfType<SpeechRecognitionTransformer>()];

    /// <summary>The chain without the recognizers after the first (an ensemble's first member alone).</summary>
    public static ITransformer FirstRecognizer(ITransformer model)
    {
        SpeechRecognitionTransformer first = Recognizers(model)[0];
        return new TransformerChain<ITransformer>([.. ((IEnumerable<ITransformer>)model).Where(p => p is not SpeechRecognitionTransformer r || r == first)]);
    }

    /// <summary>
    /// The chain with its recognizer decoding by prefix beam search of <paramref name="beamWidth"/>, spelling only the ten digit
    /// words (the lexicon; token models write only the ten tokens) and weighing each word by a word trigram model of
    /// <paramref name="transcripts"/> (the training transcripts).
    /// </summary>
    public static ITransformer WithBeamSearch(ITransformer model, IEnumerable<string> transcripts, bool digitTokens, int beamWidth, float languageModelWeight) =>
        WithDecoder(model, new SpeechDecoderOptions
        {
            BeamWidth = beamWidth, LanguageModelText = transcripts, LanguageModelUnit = SymbolUnit.Word, LanguageModelOrder = 3,
            LanguageModelWeight = languageModelWeight, Lexicon = digitTokens ? [.. Enumerable.Range(0, 10).Select(d => d.ToString())] : DigitUtterances.Words,
        });

    /// <summary>The chain with its recognizers decoding as <paramref name="decoder"/> says (the same acoustic models).</summary>
    public static ITransformer WithDecoder(ITransformer model, SpeechDecoderOptions decoder) =>
        new TransformerChain<ITransformer>([.. ((IEnumerable<ITransformer>)model).Select(p => p is SpeechRecognitionTransformer r ? r.WithDecoder(decoder) : p)]);

    /// <summary>Every utterance's reference and each member's recognized transcript, the utterance's frames computed once.</summary>
    public static List<Recognition> Recognize(ITransformer model, IDataView utterances)
    {
        IDataView scored = model.Transform(utterances);
        string[] columns = [.. Recognizers(model).Select((_, m) => TranscriptColumn(m))];
        var result = new List<Recognition>();
        string[] read = [nameof(Recognition.Id), nameof(Recognition.Transcript), .. columns];
        using DataViewRowCursor cursor = scored.GetRowCursor([.. read.Select(c => scored.Schema[c])]);
        ValueGetter<ReadOnlyMemory<char>>[] getters = [.. read.Select(c => cursor.GetGetter<ReadOnlyMemory<char>>(scored.Schema[c]))];
        string Read(int g) { ReadOnlyMemory<char> value = default; getters[g](ref value); return value.ToString(); }
        while (cursor.MoveNext())
        {
            string[] members = [.. columns.Select((_, m) => Read(2 + m))];
            result.Add(new Recognition { Id = Read(0), Transcript = Read(1), PredictedTranscript = members[0], Members = members });
        }
        return result;
    }

    /// <summary>
    /// Recognizes <paramref name="versions"/> (the same utterances, in the same order, e.g. played at other speeds) and combines
    /// each utterance's transcripts, every member's of every version, by word voting (<see cref="TranscriptVoting"/>), the first
    /// member's of <paramref name="original"/> (the utterances as they are, already recognized) as the pivot.
    /// </summary>
    public static List<Recognition> RecognizeByVote(ITransformer model, List<Recognition> original, IEnumerable<IDataView> versions)
    {
        List<Recognition>[] heard = [original, .. versions.Select(v => Recognize(model, v))];
        if (heard.FirstOrDefault(h => h.Count != original.Count || h.Where((r, i) => r.Id != original[i].Id).Any()) is { } other)
            throw new InvalidOperationException($"A version for the vote holds other utterances than the original ({other.Count} rows against {original.Count}, or another order).");
        return [.. original.Select((r, i) => new Recognition
        {
            Id = r.Id, Transcript = r.Transcript,
            PredictedTranscript = TranscriptVoting.Combine([.. heard.SelectMany(h => h[i].Members)]), Members = r.Members,
        })];
    }
}
