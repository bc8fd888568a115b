using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Audio;

/// <summary>
/// Power spectra of real frames (float64). A power-of-two frame of n >= 8 samples is transformed as n/2 complex points (even
/// samples real, odd imaginary) by an iterative radix-2 FFT (its first two stages fused into the bit-reversed read, the
/// others vectorized) with its bit-reversal order and twiddles computed once per size, then split into the n/2 + 1 bins of
/// the real transform (vectorized too); other lengths use a direct DFT.
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
        if ((n & (n - 1)) != 0 || n < 8) DirectPowerSpectrum(frame, power);
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
            Transform(frame, re, im);
            // Z = E + i O with E, O the transforms of the even and odd samples: E[k] = (Z[k] + conj Z[m-k]) / 2,
            // O[k] = (Z[k] - conj Z[m-k]) / 2i, and X[k] = E[k] + w^k O[k], X[m-k] = conj(E[k] - w^k O[k]) (w = exp(-2 pi i / n)).
            power[0] = (re[0] + im[0]) * (re[0] + im[0]);
            power[m] = (re[0] - im[0]) * (re[0] - im[0]);
            int k = 1;
            ref double r = ref MemoryMarshal.GetReference(re), q = ref MemoryMarshal.GetReference(im), p = ref MemoryMarshal.GetReference(power);
            Vector256<long> reverse = Vector256.Create(3L, 2, 1, 0);
            for (; k + 3 <= m / 2; k += 4)   // the same arithmetic four bins at a time, the mirrored bins read and written reversed
            {
                nuint lo = (nuint)k, hi = (nuint)(m - k - 3);
                Vector256<double> ar = Vector256.LoadUnsafe(ref r, lo), ai = Vector256.LoadUnsafe(ref q, lo);
                Vector256<double> br = Vector256.Shuffle(Vector256.LoadUnsafe(ref r, hi), reverse), bi = -Vector256.Shuffle(Vector256.LoadUnsafe(ref q, hi), reverse);
                Vector256<double> half = Vector256.Create(0.5);
                Vector256<double> er = half * (ar + br), ei = half * (ai + bi), or = half * (ai - bi), oi = -half * (ar - br);
                Vector256<double> wr = Vector256.Create<double>(_splitCos.AsSpan(k)), wi = Vector256.Create<double>(_splitSin.AsSpan(k));
                Vector256<double> tr = wr * or - wi * oi, ti = wr * oi + wi * or;
                ((er + tr) * (er + tr) + (ei + ti) * (ei + ti)).StoreUnsafe(ref p, lo);
                Vector256.Shuffle((er - tr) * (er - tr) + (ei - ti) * (ei - ti), reverse).StoreUnsafe(ref p, hi);
            }
            for (; k <= m / 2; k++)
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
        /// Radix-2 decimation in time of the frame's m complex points into <paramref name="re"/>, <paramref name="im"/>: the
        /// first two stages (twiddles 1 and -i) as one 4-point transform of each four points read in bit-reversed order, the
        /// others four butterflies at a time (each stage's twiddles contiguous).
        /// </summary>
        private void Transform(ReadOnlySpan<double> frame, Span<double> re, Span<double> im)
        {
            int m = _m;
            for (int i = 0; i < m; i += 4)
            {
                int j0 = 2 * _reversed[i], j1 = 2 * _reversed[i + 1], j2 = 2 * _reversed[i + 2], j3 = 2 * _reversed[i + 3];
                double ar0 = frame[j0] + frame[j1], ai0 = frame[j0 + 1] + frame[j1 + 1], ar1 = frame[j0] - frame[j1], ai1 = frame[j0 + 1] - frame[j1 + 1];
                double ar2 = frame[j2] + frame[j3], ai2 = frame[j2 + 1] + frame[j3 + 1], ar3 = frame[j2] - frame[j3], ai3 = frame[j2 + 1] - frame[j3 + 1];
                (re[i], im[i], re[i + 2], im[i + 2]) = (ar0 + ar2, ai0 + ai2, ar0 - ar2, ai0 - ai2);
                // (ar3, ai3) * -i = (ai3, -ar3)
                (re[i + 1], im[i + 1], re[i + 3], im[i + 3]) = (ar1 + ai3, ai1 - ar3, ar1 - ai3, ai1 + ar3);
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
