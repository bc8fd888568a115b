namespace Microsoft.ML.Recurrent;

/// <summary>Which features an audio featurizer computes per frame.</summary>
public enum AudioFeatureKind
{
    /// <summary>log(mel power + 1e-6), torchaudio's MelSpectrogram (Hann window, HTK mels), MelCount per frame.</summary>
    LogMel,
    /// <summary>torchaudio-style MFCC: DCT-II (ortho) of the log mel power, Coefficients per frame.</summary>
    Mfcc,
    /// <summary>Kaldi's fbank (povey window, pre-emphasis, dithering off), MelCount per frame, of samples scaled to 16-bit integers.</summary>
    KaldiFbank,
    /// <summary>Kaldi's MFCC (liftered), Coefficients per frame, of samples scaled to 16-bit integers.</summary>
    KaldiMfcc,
}

/// <summary>How an audio featurizer normalizes its features (cepstral mean and variance normalization).</summary>
public enum AudioNormalization
{
    /// <summary>Features as computed.</summary>
    None,
    /// <summary>Each utterance to zero mean and unit variance per feature, with its own statistics.</summary>
    Utterance,
    /// <summary>Every utterance with the per-feature mean and variance of the training data, learned in <c>Fit</c>.</summary>
    Global,
}

/// <summary>Options of the audio featurizer: a samples column (a variable-size vector of Single in [-1, 1]) in, frames of features out.</summary>
public sealed class AudioFeatureOptions
{
    /// <summary>The samples column (e.g. from <c>LoadAudio</c>).</summary>
    public string InputColumnName { get; set; } = "Audio";

    /// <summary>The features column: a vector of Single of shape [frames, F] (VectorDataViewType(Single, 0, F)).</summary>
    public string OutputColumnName { get; set; } = "Features";

    /// <summary>The features.</summary>
    public AudioFeatureKind Kind { get; set; } = AudioFeatureKind.LogMel;

    /// <summary>The samples' rate in Hz.</summary>
    public int SampleRate { get; set; } = 16000;

    /// <summary>Mel bands (LogMel, KaldiFbank, and the filter bank under the MFCCs).</summary>
    public int MelCount { get; set; } = 40;

    /// <summary>Cepstral coefficients per frame (Mfcc, KaldiMfcc).</summary>
    public int Coefficients { get; set; } = 13;

    /// <summary>Frame length in milliseconds.</summary>
    public double WindowMilliseconds { get; set; } = 25;

    /// <summary>Frame shift in milliseconds.</summary>
    public double HopMilliseconds { get; set; } = 10;

    /// <summary>0, or 1 to append deltas, or 2 to append deltas and delta-deltas (torchaudio's compute_deltas, window 5).</summary>
    public int DeltaOrder { get; set; }

    /// <summary>
    /// LogMel and Mfcc: the dynamic range kept per utterance, in decibels below its loudest mel value; quieter values are
    /// raised to that floor before the MFCC's DCT (torchaudio's <c>AmplitudeToDB(top_db)</c>), so near-digital silence in one
    /// recording and a noise floor in another look alike. 0 (the default) keeps every value.
    /// </summary>
    public float TopDecibels { get; set; }

    /// <summary>Mean and variance normalization, after the deltas.</summary>
    public AudioNormalization Normalization { get; set; } = AudioNormalization.None;

    /// <summary>Features per frame of the base kind, before deltas.</summary>
    internal int BaseSize => Kind is AudioFeatureKind.Mfcc or AudioFeatureKind.KaldiMfcc ? Coefficients : MelCount;

    /// <summary>Features per frame: the base features times (1 + DeltaOrder).</summary>
    public int FeatureSize => BaseSize * (1 + DeltaOrder);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(InputColumnName, nameof(InputColumnName));
        ArgumentException.ThrowIfNullOrEmpty(OutputColumnName, nameof(OutputColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(SampleRate, 1000, nameof(SampleRate));
        ArgumentOutOfRangeException.ThrowIfLessThan(MelCount, 1, nameof(MelCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(Coefficients, 1, nameof(Coefficients));
        if (Coefficients > MelCount && Kind is AudioFeatureKind.Mfcc or AudioFeatureKind.KaldiMfcc)
            throw new ArgumentOutOfRangeException(nameof(Coefficients), Coefficients, $"MFCCs cannot have more coefficients than mel bands ({MelCount}).");
        if (!(WindowMilliseconds > 0) || !(HopMilliseconds > 0)) throw new ArgumentOutOfRangeException(nameof(WindowMilliseconds), "Window and hop must be positive.");
        if (!Enum.IsDefined(Kind)) throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown feature kind.");
        if (DeltaOrder is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(DeltaOrder), DeltaOrder, "The delta order must be 0, 1 or 2.");
        if (!(TopDecibels >= 0) || float.IsInfinity(TopDecibels)) throw new ArgumentOutOfRangeException(nameof(TopDecibels), TopDecibels, "The top decibels must be 0 (off) or a positive number.");
        if (TopDecibels > 0 && Kind is not (AudioFeatureKind.LogMel or AudioFeatureKind.Mfcc))
            throw new ArgumentException($"{nameof(TopDecibels)} applies to the LogMel and Mfcc kinds, not {Kind}.", nameof(TopDecibels));
        if (!Enum.IsDefined(Normalization)) throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization, "Unknown normalization.");
    }

    internal AudioFeatureOptions Clone() => (AudioFeatureOptions)MemberwiseClone();

    /// <summary>
    /// The engine featurizer these options describe: samples [n] -> features [frames * F], deltas appended, normalized
    /// per utterance or with <paramref name="mean"/> and <paramref name="variance"/> (Global; null before Fit has learned them).
    /// </summary>
    internal Func<float[], float[]> Featurizer(double[]? mean = null, double[]? variance = null)
    {
        Func<float[], float[]> basic = BaseFeaturizer();
        int baseSize = BaseSize, order = DeltaOrder, size = FeatureSize;
        AudioNormalization normalization = Normalization;
        return samples =>
        {
            float[] features = Audio.FeatureDeltas.Append(basic(samples), baseSize, order);
            if (normalization == AudioNormalization.Utterance) Audio.FeatureDeltas.Normalize(features, size);
            else if (normalization == AudioNormalization.Global && mean is not null) Audio.FeatureDeltas.Normalize(features, size, mean, variance);
            return features;
        };
    }

    private Func<float[], float[]> BaseFeaturizer()
    {
        int window = (int)Math.Round(SampleRate * WindowMilliseconds / 1000), hop = (int)Math.Round(SampleRate * HopMilliseconds / 1000);
        if (Kind is AudioFeatureKind.LogMel or AudioFeatureKind.Mfcc)
        {
            int fft = 1;
            while (fft < window) fft *= 2;
            var mel = new Audio.MelSpectrogram(new Audio.MelSpectrogram.Options
            {
                SampleRate = SampleRate, FftSize = fft, WindowLength = window, HopLength = hop, MelCount = MelCount, Coefficients = Coefficients, TopDecibels = TopDecibels,
            });
            float topDecibels = TopDecibels;
            if (Kind == AudioFeatureKind.Mfcc) return samples => mel.ComputeMfcc(samples);
            return samples =>
            {
                float[] power = mel.Compute(samples);
                for (int i = 0; i < power.Length; i++) power[i] = MathF.Log(power[i] + 1e-6f);
                if (topDecibels > 0) Audio.MelSpectrogram.RaiseFloor<float>(power, topDecibels);
                return power;
            };
        }
        var kaldi = new Audio.KaldiFeatures(new Audio.KaldiFeatures.Options
        {
            SampleRate = SampleRate, FrameLengthMs = WindowMilliseconds, FrameShiftMs = HopMilliseconds, MelBins = MelCount, Cepstra = Coefficients,
        });
        // Kaldi works on raw 16-bit sample values.
        return samples =>
        {
            float[] scaled = [.. samples.Select(s => s * 32768f)];
            return Kind == AudioFeatureKind.KaldiFbank ? kaldi.Fbank(scaled) : kaldi.Mfcc(scaled);
        };
    }
}
