using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Power spectra of real frames (float64). A power-of-two frame of n samples is transformed as n/2 complex points (even
/// samples real, odd imaginary) by an iterative radix-2 FFT (vectorized from its third stage) with its bit-reversal order
/// and twiddles computed once per size, then split into the n/2 + 1 bins of the real transform; other lengths use a direct DFT.
/// </summary>
public static class Fft
{
    private static readonly ConcurrentDictionary<int, Plan> Plans = new();

    /// <summary>
    /// Writes <c>|X[k]|^2</c> for k = 0..n/2 of the real frame <paramref name="frame"/> (length n)
    /// into <paramref name="power"/> (length n/2 + 1).
    /// </summary>
    public static void PowerSpectrum(ReadOnlySpan<double> frame, Span<double> power)
    {
        int n = frame.Length;
        if (n == 0) throw new ArgumentException("The frame is empty.", nameof(frame));
        if (power.Length != n / 2 + 1) throw new ArgumentException($"power must hold n/2+1 = {n / 2 + 1} values but holds {power.Length}.", nameof(power));
        if ((n & (n - 1)) != 0 || n < 4) DirectPowerSpectrum(frame, power);
        else Plans.GetOrAdd(n, size => new Plan(size)).PowerSpectrum(frame, power);
    }

    private static void DirectPowerSpectrum(ReadOnlySpan<double> frame, Span<double> power)
    {
        int n = frame.Length;
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
    }

    /// <summary>The tables of one power-of-two size n: the m = n/2 point complex FFT's and the real split's.</summary>
    private sealed class Plan
    {
        private readonly int _m;
        private readonly int[] _reversed;                    // bit-reversed index of each complex point
        private readonly double[] _cos, _sin;                // stage of half h at [h, 2h): exp(-2 pi i k / 2h), k < h
        private readonly double[] _splitCos, _splitSin;      // exp(-2 pi i k / n), k <= m/2

        public Plan(int n)
        {
            _m = n / 2;
            _reversed = new int[_m];
            for (int i = 1, j = 0; i < _m; i++)
            {
                int bit = _m >> 1;
                for (; (j & bit) != 0; bit >>= 1) j ^= bit;
                j ^= bit;
                _reversed[i] = j;
            }
            (_cos, _sin) = (new double[_m], new double[_m]);
            for (int half = 1; half < _m; half <<= 1)
                for (int k = 0; k < half; k++) (_sin[half + k], _cos[half + k]) = Math.SinCos(-Math.PI * k / half);
            (_splitCos, _splitSin) = (new double[_m / 2 + 1], new double[_m / 2 + 1]);
            for (int k = 0; k <= _m / 2; k++) (_splitSin[k], _splitCos[k]) = Math.SinCos(-2 * Math.PI * k / n);
        }

        public void PowerSpectrum(ReadOnlySpan<double> frame, Span<double> power)
        {
            int m = _m;
            Span<double> re = m <= 2048 ? stackalloc double[m] : new double[m], im = m <= 2048 ? stackalloc double[m] : new double[m];
            for (int j = 0; j < m; j++) (re[_reversed[j]], im[_reversed[j]]) = (frame[2 * j], frame[2 * j + 1]);
            Transform(re, im);
            // Z = E + i O with E, O the transforms of the even and odd samples: E[k] = (Z[k] + conj Z[m-k]) / 2,
            // O[k] = (Z[k] - conj Z[m-k]) / 2i, and X[k] = E[k] + w^k O[k], X[m-k] = conj(E[k] - w^k O[k]) (w = exp(-2 pi i / n)).
            power[0] = (re[0] + im[0]) * (re[0] + im[0]);
            power[m] = (re[0] - im[0]) * (re[0] - im[0]);
            for (int k = 1; k <= m / 2; k++)
            {
                double ar = re[k], ai = im[k], br = re[m - k], bi = -im[m - k];
                double er = 0.5 * (ar + br), ei = 0.5 * (ai + bi), or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
                double wr = _splitCos[k], wi = _splitSin[k];
                double tr = wr * or - wi * oi, ti = wr * oi + wi * or;
                power[k] = (er + tr) * (er + tr) + (ei + ti) * (ei + ti);
                power[m - k] = (er - tr) * (er - tr) + (ei - ti) * (ei - ti);
            }
        }

        /// <summary>
        /// In-place radix-2 decimation in time over points already in bit-reversed order: the stages of half 1 and 2 (twiddles
        /// 1 and -i) written out, the others four butterflies at a time (each stage's twiddles contiguous).
        /// </summary>
        private void Transform(Span<double> re, Span<double> im)
        {
            int m = _m;
            for (int i = 0; i + 1 < m; i += 2)
            {
                (re[i], re[i + 1]) = (re[i] + re[i + 1], re[i] - re[i + 1]);
                (im[i], im[i + 1]) = (im[i] + im[i + 1], im[i] - im[i + 1]);
            }
            for (int i = 0; i + 3 < m; i += 4)
            {
                (re[i], re[i + 2]) = (re[i] + re[i + 2], re[i] - re[i + 2]);
                (im[i], im[i + 2]) = (im[i] + im[i + 2], im[i] - im[i + 2]);
                double xr = im[i + 3], xi = -re[i + 3];   // x * -i
                (re[i + 3], im[i + 3]) = (re[i + 1] - xr, im[i + 1] - xi);
                (re[i + 1], im[i + 1]) = (re[i + 1] + xr, im[i + 1] + xi);
            }
            ref double r = ref MemoryMarshal.GetReference(re), q = ref MemoryMarshal.GetReference(im);
            for (int half = 4; half < m; half <<= 1)
                for (int i = 0; i < m; i += 2 * half)
                    for (int k = 0; k < half; k += Vector256<double>.Count)
                    {
                        nuint a = (nuint)(i + k), b = a + (nuint)half;
                        Vector256<double> wr = Vector256.Create<double>(_cos.AsSpan(half + k)), wi = Vector256.Create<double>(_sin.AsSpan(half + k));
                        Vector256<double> ar = Vector256.LoadUnsafe(ref r, a), ai = Vector256.LoadUnsafe(ref q, a);
                        Vector256<double> br = Vector256.LoadUnsafe(ref r, b), bi = Vector256.LoadUnsafe(ref q, b);
                        Vector256<double> xr = br * wr - bi * wi, xi = br * wi + bi * wr;
                        (ar - xr).StoreUnsafe(ref r, b);
                        (ai - xi).StoreUnsafe(ref q, b);
                        (ar + xr).StoreUnsafe(ref r, a);
                        (ai + xi).StoreUnsafe(ref q, a);
                    }
        }
    }
}
