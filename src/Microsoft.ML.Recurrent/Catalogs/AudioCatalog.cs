namespace Microsoft.ML.Recurrent;

/// <summary>
/// Audio transforms on ML.NET's transforms catalog: <c>mlContext.Transforms.LoadAudio</c> (WAV files to samples) and
/// <c>mlContext.Transforms.AudioFeatures</c> (samples to log-mel, MFCC or Kaldi features), each usable alone.
/// </summary>
public static class AudioCatalog
{
    /// <summary>Loads the WAV file each row names (mono, resampled to <paramref name="sampleRate"/>).</summary>
    /// <param name="catalog">The transforms, <c>mlContext.Transforms</c>.</param>
    /// <param name="outputColumnName">The samples column to add (variable-size vector of Single).</param>
    /// <param name="inputColumnName">The text column of file paths.</param>
    /// <param name="sampleRate">The rate to resample to.</param>
    /// <example>
    /// <code>
    /// var features = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 8000)
    ///     .Append(ml.Transforms.AudioFeatures(new AudioFeatureOptions { SampleRate = 8000, Kind = AudioFeatureKind.Mfcc }));
    /// </code>
    /// </example>
    public static AudioLoadingEstimator LoadAudio(this TransformsCatalog catalog, string outputColumnName = "Audio", string inputColumnName = "Path", int sampleRate = 16000)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AudioLoadingEstimator(outputColumnName, inputColumnName, sampleRate);
    }

    /// <summary>Frames of audio features from a samples column.</summary>
    /// <param name="catalog">The transforms, <c>mlContext.Transforms</c>.</param>
    /// <param name="options">The settings (see <see cref="AudioFeatureOptions"/>).</param>
    /// <example>
    /// <code>
    /// var mfcc = ml.Transforms.AudioFeatures(new AudioFeatureOptions { InputColumnName = "Audio", Kind = AudioFeatureKind.Mfcc });
    /// </code>
    /// </example>
    public static AudioFeaturizingEstimator AudioFeatures(this TransformsCatalog catalog, AudioFeatureOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new AudioFeaturizingEstimator(options);
    }

    /// <summary>A CTC speech recognizer (Deep Speech 2 style) trained on a frames column and a transcript column.</summary>
    /// <param name="catalog">The transforms, <c>mlContext.Transforms</c>.</param>
    /// <param name="options">Every setting (see <see cref="SpeechRecognitionOptions"/>).</param>
    /// <example>
    /// <code>
    /// var pipeline = ml.Transforms.LoadAudio("Audio", "Path", sampleRate: 8000)
    ///     .Append(ml.Transforms.AudioFeatures(new AudioFeatureOptions { InputColumnName = "Audio", OutputColumnName = "Features" }))
    ///     .Append(ml.Transforms.SpeechRecognition(new SpeechRecognitionOptions { TranscriptColumnName = "Transcript" }));
    /// IDataView recognized = pipeline.Fit(train).Transform(test);   // + PredictedTranscript, PredictedTokens
    /// </code>
    /// </example>
    public static SpeechRecognitionTrainer SpeechRecognition(this TransformsCatalog catalog, SpeechRecognitionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SpeechRecognitionTrainer(Data.MLNetInternals.EnvironmentOf(catalog), options);
    }
}
