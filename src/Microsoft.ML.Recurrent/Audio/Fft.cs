namespace Microsoft.ML.Recurrent.Audio;

/// <summary>Power spectra of real frames (float64): radix-2 FFT for powers of two, a direct DFT otherwise.</summary>
public static class Fft
{
    /// <summary>
    /// Writes <c>|X[k]|^2</c> for k = 0..n/2 of the real frame <paramref name="frame"/> (length n)
    /// into <paramref name="power"/> (length n/2 + 1).
    /// </summary>
    public static void PowerSpectrum(ReadOnlySpan<double> frame, Span<double> power)
    {
        int n = frame.Length;
        if (n == 0) throw new ArgumentException("The frame is empty.", nameof(frame));
        if (power.Length != n / 2 + 1) throw new ArgumentException($"power must hold n/2+1 = {n / 2 + 1} values but holds {power.Length}.", nameof(power));
        if ((n & (n - 1)) != 0)
        {
            for (int k = 0; k <= n / 2; k++)
            {
                double re = 0, im = 0;
                for (int t = 0; t < n; t++)
                {
                    double angle = -2 * Math.PI * ((long)k * t % n) / n;
                    re += frame[t] * Math.Cos(angle);
                    im += frame[t] * Math.Sin(angle);
                }
                power[k] = re * re + im * im;
            }
            return;
        }
        double[] real = frame.ToArray(), imag = new double[n];
        Transform(real, imag);
        for (int k = 0; k <= n / 2; k++) power[k] = real[k] * real[k] + imag[k] * imag[k];
    }

    /// <summary>In-place iterative radix-2 FFT (decimation in time); n must be a power of two.</summary>
    private static void Transform(double[] re, double[] im)
    {
        int n = re.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        for (int len = 2; len <= n; len <<= 1)
        {
            double angle = -2 * Math.PI / len;
            for (int i = 0; i < n; i += len)
                for (int k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(angle * k), wi = Math.Sin(angle * k);
                    int a = i + k, b = i + k + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
        }
    }
}
