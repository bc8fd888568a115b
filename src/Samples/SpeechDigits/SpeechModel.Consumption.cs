using Microsoft.ML.Data;

namespace Microsoft.ML.Recurrent.Samples.SpeechDigits;

/// <summary>Consumption part: transcribe utterances with a trained (or loaded) model.</summary>
internal static partial class SpeechModel
{
    /// <summary>One recognized utterance.</summary>
    public sealed class Recognition
    {
        public string Id { get; set; } = "";
        public string Transcript { get; set; } = "";
        public string PredictedTranscript { get; set; } = "";
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

    /// <summary>The chain with its recognizer decoding as <paramref name="decoder"/> says (the same acoustic model).</summary>
    public static ITransformer WithDecoder(ITransformer model, SpeechDecoderOptions decoder)
    {
        ITransformer[] parts = [.. (IEnumerable<ITransformer>)model];
        var recognizer = parts.OfType<SpeechRecognitionTransformer>().Single();
        SpeechRecognitionTransformer decoding = recognizer.WithDecoder(decoder);
        return new TransformerChain<ITransformer>([.. parts.Select(p => p == recognizer ? decoding : p)]);
    }

    /// <summary>Every utterance's reference and recognized transcript.</summary>
    public static List<Recognition> Recognize(MLContext ml, ITransformer model, IDataView utterances) =>
        [.. ml.Data.CreateEnumerable<Recognition>(model.Transform(utterances), reuseRowObject: false)];

    /// <summary>
    /// Recognizes <paramref name="versions"/> (the same utterances, in the same order, e.g. played at other speeds) and combines
    /// each utterance's transcripts by word voting (<see cref="TranscriptVoting"/>), those of <paramref name="original"/> (the
    /// utterances as they are, already recognized) as the pivot.
    /// </summary>
    public static List<Recognition> RecognizeByVote(MLContext ml, ITransformer model, List<Recognition> original, IEnumerable<IDataView> versions)
    {
        List<Recognition>[] heard = [original, .. versions.Select(v => Recognize(ml, model, v))];
        if (heard.FirstOrDefault(h => h.Count != original.Count || h.Where((r, i) => r.Id != original[i].Id).Any()) is { } other)
            throw new InvalidOperationException($"A version for the vote holds other utterances than the original ({other.Count} rows against {original.Count}, or another order).");
        return [.. original.Select((r, i) => new Recognition
        {
            Id = r.Id, Transcript = r.Transcript,
            PredictedTranscript = TranscriptVoting.Combine([.. heard.Select(h => h[i].PredictedTranscript)]),
        })];
    }
}
