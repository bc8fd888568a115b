namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Kaldi-compatible filter-bank and MFCC features with the semantics of
/// <c>torchaudio.compliance.kaldi.fbank</c> / <c>mfcc</c> (no dither, snip edges): per frame,
/// remove the DC offset, pre-emphasize, apply the window (Povey by default), zero-pad to a power of
/// two, take the power spectrum, apply Kaldi mel banks, take log(max(energy, float epsilon)); MFCC
/// then applies an orthonormal DCT and cepstral liftering.
/// </summary>
public sealed class KaldiFeatures
{
    /// <summary>Settings; defaults are Kaldi's.</summary>
    public sealed record Options
    {
        /// <summary>Samples per second.</summary>
        public int SampleRate { get; init; } = 16000;
        /// <summary>Frame length in milliseconds.</summary>
        public double FrameLengthMs { get; init; } = 25;
        /// <summary>Frame shift in milliseconds.</summary>
        public double FrameShiftMs { get; init; } = 10;
        /// <summary>Pre-emphasis coefficient.</summary>
        public double Preemphasis { get; init; } = 0.97;
        /// <summary>Subtract each frame's mean before windowing.</summary>
        public bool RemoveDcOffset { get; init; } = true;
        /// <summary>Window: "povey" (Hann^0.85), "hanning", "hamming" or "rectangular".</summary>
        public string Window { get; init; } = "povey";
        /// <summary>Pad each frame to the next power of two before the FFT.</summary>
        public bool RoundToPowerOfTwo { get; init; } = true;
        /// <summary>Number of mel bins.</summary>
        public int MelBins { get; init; } = 23;
        /// <summary>Lowest mel edge in Hz.</summary>
        public double LowFrequency { get; init; } = 20;
        /// <summary>Highest mel edge in Hz; 0 or negative is relative to the Nyquist frequency.</summary>
        public double HighFrequency { get; init; }
        /// <summary>MFCC coefficients kept.</summary>
        public int Cepstra { get; init; } = 13;
        /// <summary>Cepstral lifter L (0 disables): c_i *= 1 + L/2 sin(pi i / L).</summary>
        public double CepstralLifter { get; init; } = 22;
    }

    /// <summary>float32 machine epsilon (2^-23), Kaldi's floor for energies before the logarithm.</summary>
    public const double Float32Epsilon = 1.1920928955078125e-07;

    private readonly Options _o;
    private readonly int _frameLength, _frameShift, _fftSize;
    private readonly double[] _window;
    private readonly BankMatrix _bank;

    /// <summary>Creates the featurizer; validates the options.</summary>
    public KaldiFeatures(Options options)
    {
        _o = options ?? throw new ArgumentNullException(nameof(options));
        _frameLength = (int)(_o.SampleRate * _o.FrameLengthMs / 1000);
        _frameShift = (int)(_o.SampleRate * _o.FrameShiftMs / 1000);
        if (_frameLength < 2 || _frameShift < 1 || _o.MelBins < 1)
            throw new ArgumentException($"Invalid Kaldi options: {_o}. The frame needs at least 2 samples, the shift 1, and at least one mel bin.", nameof(options));
        _fftSize = _o.RoundToPowerOfTwo ? (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)_frameLength) : _frameLength;
        _window = MakeWindow(_o.Window, _frameLength);
        double nyquist = _o.SampleRate / 2.0, high = _o.HighFrequency > 0 ? _o.HighFrequency : nyquist + _o.HighFrequency;
        if (!(_o.LowFrequency >= 0 && high > _o.LowFrequency && high <= nyquist))
            throw new ArgumentException($"Mel edges must satisfy 0 <= low ({_o.LowFrequency}) < high ({high}) <= Nyquist ({nyquist}).", nameof(options));
        _bank = new BankMatrix(MelScale.KaldiFilterBank(_fftSize, _o.MelBins, _o.LowFrequency, high, _o.SampleRate));
    }

    /// <summary>Frames produced for <paramref name="samples"/> samples (edges snipped).</summary>
    public int FrameCount(int samples) => samples < _frameLength ? 0 : 1 + (samples - _frameLength) / _frameShift;

    /// <summary>Log mel filter-bank energies [frames, MelBins] of raw sample values (e.g. 16-bit integers as floats; frames split over the engine's threads).</summary>
    public float[] Fbank(ReadOnlySpan<float> samples)
    {
        int frames = FrameCount(samples.Length), bins = _o.MelBins;
        if (frames == 0) throw new ArgumentException($"{samples.Length} samples are fewer than one frame ({_frameLength}).", nameof(samples));
        float[] result = new float[frames * bins], audio = samples.ToArray();
        FrameParts.Run(frames, (first, end) =>
        {
            double[] frame = new double[_fftSize], power = new double[_fftSize / 2 + 1], mel = new double[bins];
            for (int t = first; t < end; t++)
            {
                Array.Clear(frame);
                ReadOnlySpan<float> x = audio.AsSpan(t * _frameShift, _frameLength);
                double mean = 0;
                if (_o.RemoveDcOffset) { foreach (float v in x) mean += v; mean /= _frameLength; }
                for (int i = _frameLength - 1; i >= 0; i--)
                {
                    double v = x[i] - mean, previous = (i > 0 ? x[i - 1] : x[0]) - mean;
                    frame[i] = (v - _o.Preemphasis * previous) * _window[i];
                }
                Fft.PowerSpectrum(frame, power);
                _bank.Apply(power, mel);
                for (int m = 0; m < bins; m++) result[t * bins + m] = (float)Math.Log(Math.Max(mel[m], Float32Epsilon));
            }
        });
        return result;
    }

    /// <summary>MFCC [frames, Cepstra]: orthonormal DCT of the log filter-bank energies, liftered.</summary>
    public float[] Mfcc(ReadOnlySpan<float> samples)
    {
        float[] fbank = Fbank(samples);
        int bins = _o.MelBins, ceps = _o.Cepstra, frames = fbank.Length / bins;
        if (ceps < 1 || ceps > bins) throw new InvalidOperationException($"Cepstra must be in [1, {bins}], got {ceps}.");
        var dct = new BankMatrix(MelScale.OrthonormalDct(bins, ceps));
        double[] lifter = new double[ceps], x = new double[bins], c = new double[ceps];
        for (int i = 0; i < ceps; i++) lifter[i] = _o.CepstralLifter > 0 ? 1 + 0.5 * _o.CepstralLifter * Math.Sin(Math.PI * i / _o.CepstralLifter) : 1;
        float[] result = new float[frames * ceps];
        for (int t = 0; t < frames; t++)
        {
            for (int m = 0; m < bins; m++) x[m] = fbank[t * bins + m];
            dct.Apply(x, c);
            for (int k = 0; k < ceps; k++) result[t * ceps + k] = (float)(c[k] * lifter[k]);
        }
        return result;
    }

    private static double[] MakeWindow(string type, int n)
    {
        double[] w = new double[n];
        for (int i = 0; i < n; i++)
        {
            double hann = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1));
            w[i] = type switch
            {
                "povey" => Math.Pow(hann, 0.85),
                "hanning" => hann,
                "hamming" => 0.54 - 0.46 * Math.Cos(2 * Math.PI * i / (n - 1)),
                "rectangular" => 1,
                _ => throw new ArgumentException($"Unknown window type '{type}'; use povey, hanning, hamming or rectangular.", nameof(type)),
            };
        }
        return w;
    }
}
