namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Mel power spectrogram with torchaudio's <c>MelSpectrogram</c> semantics: a Hann window
/// (periodic) of <see cref="Options.WindowLength"/> centred in an FFT of
/// <see cref="Options.FftSize"/>, hop <see cref="Options.HopLength"/>, optional centring with
/// reflect padding, power spectrum, HTK mel filters without normalization. Optionally the MFCC:
/// <c>DCT-II(ortho)(log(mel + LogOffset))</c>, first <see cref="Options.Coefficients"/> values.
/// </summary>
public sealed class MelSpectrogram
{
    /// <summary>Settings; defaults are a common 16 kHz speech front end (25 ms window, 10 ms hop, 40 mels).</summary>
    public sealed record Options
    {
        /// <summary>Samples per second.</summary>
        public int SampleRate { get; init; } = 16000;
        /// <summary>FFT size (bins = FftSize/2 + 1).</summary>
        public int FftSize { get; init; } = 512;
        /// <summary>Window length in samples (at most FftSize).</summary>
        public int WindowLength { get; init; } = 400;
        /// <summary>Hop between frames in samples.</summary>
        public int HopLength { get; init; } = 160;
        /// <summary>Number of mel bands.</summary>
        public int MelCount { get; init; } = 40;
        /// <summary>Lowest filter edge in Hz.</summary>
        public double MinFrequency { get; init; }
        /// <summary>Highest filter edge in Hz; 0 means the Nyquist frequency.</summary>
        public double MaxFrequency { get; init; }
        /// <summary>Pad FftSize/2 on each side by reflection so frame t is centred at t*hop.</summary>
        public bool Center { get; init; } = true;
        /// <summary>MFCC coefficients to keep (used by <see cref="ComputeMfcc"/>).</summary>
        public int Coefficients { get; init; } = 13;
        /// <summary>Offset inside the MFCC's logarithm.</summary>
        public double LogOffset { get; init; } = 1e-6;
        /// <summary>
        /// Dynamic range the MFCC's log mel power keeps, in decibels below the utterance's loudest value (lower values are
        /// raised to that floor first, as torchaudio's <c>AmplitudeToDB(top_db)</c>); 0 keeps every value.
        /// </summary>
        public double TopDecibels { get; init; }
    }

    private readonly Options _o;
    private readonly double[] _window;
    private readonly BankMatrix _bank;

    /// <summary>Creates the featurizer; validates the options.</summary>
    public MelSpectrogram(Options options)
    {
        _o = options ?? throw new ArgumentNullException(nameof(options));
        if (_o.SampleRate <= 0 || _o.FftSize < 2 || _o.WindowLength < 1 || _o.WindowLength > _o.FftSize || _o.HopLength < 1 || _o.MelCount < 1)
            throw new ArgumentException($"Invalid mel options: {_o}. Need sample rate > 0, FFT size >= 2, 1 <= window <= FFT size, hop >= 1, mels >= 1.", nameof(options));
        _window = new double[_o.FftSize];
        int offset = (_o.FftSize - _o.WindowLength) / 2;
        for (int i = 0; i < _o.WindowLength; i++) _window[offset + i] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / _o.WindowLength);
        double fMax = _o.MaxFrequency > 0 ? _o.MaxFrequency : _o.SampleRate / 2.0;
        _bank = new BankMatrix(MelScale.HtkFilterBank(_o.FftSize / 2 + 1, _o.MelCount, _o.MinFrequency, fMax, _o.SampleRate));
    }

    /// <summary>Number of frames for <paramref name="samples"/> samples.</summary>
    public int FrameCount(int samples) => _o.Center ? samples / _o.HopLength + 1 : Math.Max(0, (samples - _o.FftSize) / _o.HopLength + 1);

    /// <summary>Mel power spectrogram [frames, mels] of samples scaled to [-1, 1] (frames split over the engine's threads).</summary>
    public float[] Compute(ReadOnlySpan<float> samples)
    {
        int frames = FrameCount(samples.Length), n = _o.FftSize, mels = _o.MelCount;
        if (frames == 0) throw new ArgumentException($"{samples.Length} samples are too few for one frame of {n}.", nameof(samples));
        if (_o.Center && samples.Length <= n / 2) throw new ArgumentException($"Reflect padding needs more than {n / 2} samples; got {samples.Length}.", nameof(samples));
        float[] result = new float[frames * mels], audio = samples.ToArray();
        FrameParts.Run(frames, (first, end) =>
        {
            double[] frame = new double[n], power = new double[n / 2 + 1], mel = new double[mels];
            for (int t = first; t < end; t++)
            {
                int start = t * _o.HopLength - (_o.Center ? n / 2 : 0);
                if (start >= 0 && start + n <= audio.Length)
                {
                    System.Numerics.Tensors.TensorPrimitives.ConvertChecked<float, double>(audio.AsSpan(start, n), frame);
                    System.Numerics.Tensors.TensorPrimitives.Multiply(frame, _window, frame);
                }
                else for (int i = 0; i < n; i++) frame[i] = Sample(audio, start + i) * _window[i];
                Fft.PowerSpectrum(frame, power);
                _bank.Apply(power, mel);
                for (int m = 0; m < mels; m++) result[t * mels + m] = (float)mel[m];
            }
        });
        return result;
    }

    /// <summary>MFCC [frames, Coefficients]: orthonormal DCT-II of log(mel power + LogOffset).</summary>
    public float[] ComputeMfcc(ReadOnlySpan<float> samples)
    {
        float[] melPower = Compute(samples);
        int mels = _o.MelCount, ceps = _o.Coefficients, frames = melPower.Length / mels;
        if (ceps < 1 || ceps > mels) throw new InvalidOperationException($"Coefficients must be in [1, {mels}], got {ceps}.");
        var dct = new BankMatrix(MelScale.OrthonormalDct(mels, ceps));
        double[] logMel = new double[melPower.Length], c = new double[ceps];
        for (int i = 0; i < logMel.Length; i++) logMel[i] = Math.Log(melPower[i] + _o.LogOffset);
        if (_o.TopDecibels > 0) RaiseFloor(logMel, _o.TopDecibels);
        float[] result = new float[frames * ceps];
        for (int t = 0; t < frames; t++)
        {
            dct.Apply(logMel.AsSpan(t * mels, mels), c);
            for (int k = 0; k < ceps; k++) result[t * ceps + k] = (float)c[k];
        }
        return result;
    }

    /// <summary>
    /// Raises natural-log power values more than <paramref name="topDecibels"/> dB below their maximum to that floor
    /// (torchaudio's <c>top_db</c>, librosa's <c>power_to_db(top_db)</c>), so recordings whose silences differ in noise
    /// level look alike there.
    /// </summary>
    public static void RaiseFloor<T>(Span<T> logPower, double topDecibels) where T : struct, System.Numerics.IFloatingPoint<T>
    {
        if (logPower.IsEmpty) return;
        T floor = T.CreateChecked(double.CreateChecked(System.Numerics.Tensors.TensorPrimitives.Max<T>(logPower)) - topDecibels * Math.Log(10) / 10);
        System.Numerics.Tensors.TensorPrimitives.Max(logPower, floor, logPower);
    }

    /// <summary>Sample with reflect padding outside [0, length) (no edge repeat, like numpy's "reflect").</summary>
    private static double Sample(ReadOnlySpan<float> x, int i)
    {
        int n = x.Length;
        if (i < 0) i = -i;
        if (i >= n) i = 2 * (n - 1) - i;
        return x[i];
    }
}
