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

    /// <summary>Every utterance's reference and recognized transcript.</summary>
    public static List<Recognition> Recognize(MLContext ml, ITransformer model, IDataView utterances) =>
        [.. ml.Data.CreateEnumerable<Recognition>(model.Transform(utterances), reuseRowObject: false)];
}
