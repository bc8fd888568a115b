namespace Microsoft.ML.Recurrent.Audio;

/// <summary>Mel scales and triangular mel filter banks, as torchaudio and Kaldi define them.</summary>
public static class MelScale
{
    /// <summary>HTK mel: 2595 * log10(1 + f/700).</summary>
    public static double HtkFromHz(double hz) => 2595.0 * Math.Log10(1.0 + hz / 700.0);

    /// <summary>Inverse of <see cref="HtkFromHz"/>.</summary>
    public static double HtkToHz(double mel) => 700.0 * (Math.Pow(10, mel / 2595.0) - 1.0);

    /// <summary>Kaldi mel: 1127 * ln(1 + f/700).</summary>
    public static double KaldiFromHz(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);

    /// <summary>
    /// torchaudio's <c>melscale_fbanks</c> (HTK scale, no normalization): triangles with corners
    /// equally spaced in mel between <paramref name="fMin"/> and <paramref name="fMax"/>, evaluated at
    /// the linear frequencies of the FFT bins. Returns [bins, mels].
    /// </summary>
    public static double[,] HtkFilterBank(int bins, int mels, double fMin, double fMax, int sampleRate)
    {
        double melMin = HtkFromHz(fMin), melMax = HtkFromHz(fMax);
        double[] hz = new double[mels + 2];
        for (int i = 0; i < hz.Length; i++) hz[i] = HtkToHz(melMin + (melMax - melMin) * i / (mels + 1));
        var bank = new double[bins, mels];
        for (int f = 0; f < bins; f++)
        {
            double freq = bins == 1 ? 0 : (sampleRate / 2.0) * f / (bins - 1);
            for (int m = 0; m < mels; m++)
            {
                double down = (freq - hz[m]) / (hz[m + 1] - hz[m]);
                double up = (hz[m + 2] - freq) / (hz[m + 2] - hz[m + 1]);
                bank[f, m] = Math.Max(0, Math.Min(down, up));
            }
        }
        return bank;
    }

    /// <summary>
    /// Kaldi's mel banks: triangles equally spaced on the Kaldi mel scale between
    /// <paramref name="lowHz"/> and <paramref name="highHz"/>, evaluated at bin centre frequencies
    /// <c>k * sampleRate / fftSize</c> for k below fftSize/2; the Nyquist bin gets no weight.
    /// Returns [fftSize/2 + 1, mels].
    /// </summary>
    public static double[,] KaldiFilterBank(int fftSize, int mels, double lowHz, double highHz, int sampleRate)
    {
        int half = fftSize / 2;
        double melLow = KaldiFromHz(lowHz), melHigh = KaldiFromHz(highHz), delta = (melHigh - melLow) / (mels + 1);
        var bank = new double[half + 1, mels];
        for (int k = 0; k < half; k++)
        {
            double mel = KaldiFromHz(k * (double)sampleRate / fftSize);
            for (int m = 0; m < mels; m++)
            {
                double left = melLow + m * delta, center = left + delta, right = center + delta;
                double up = (mel - left) / (center - left), down = (right - mel) / (right - center);
                bank[k, m] = Math.Max(0, Math.Min(up, down));
            }
        }
        return bank;
    }

    /// <summary>
    /// The orthonormal DCT-II matrix [inputs, outputs]: <c>c[n, k] = sqrt(2/N) cos(pi/N (n + 1/2) k)</c>,
    /// with column 0 scaled by 1/sqrt(2) (torchaudio's <c>create_dct(norm="ortho")</c>).
    /// </summary>
    public static double[,] OrthonormalDct(int inputs, int outputs)
    {
        var dct = new double[inputs, outputs];
        for (int n = 0; n < inputs; n++)
            for (int k = 0; k < outputs; k++)
                dct[n, k] = Math.Sqrt(2.0 / inputs) * Math.Cos(Math.PI / inputs * (n + 0.5) * k) * (k == 0 ? 1 / Math.Sqrt(2) : 1);
        return dct;
    }
}
