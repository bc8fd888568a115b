using System.Runtime.Intrinsics;

namespace Microsoft.ML.Recurrent.Engine.Layers;

/// <summary>
/// The per-feature passes of <see cref="SequenceBatchNorm"/> over row-major [N, F] data, in float64 and eight features
/// at a time. Rows are visited in order, so every feature's sum receives the same additions in the same order as a
/// feature-at-a-time loop would give it (the same bits), while memory is read sequentially instead of with a stride of F.
/// </summary>
internal static class BatchNormColumns
{
    private const int Lanes = 8;

    /// <summary>sums[c] = sum over rows of x[r, c].</summary>
    public static void Sums(ReadOnlySpan<float> x, int f, Span<double> sums) => Accumulate(x, f, default, sums);

    /// <summary>squares[c] = sum over rows of (x[r, c] - mean[c])^2.</summary>
    public static void SquaredDeviations(ReadOnlySpan<float> x, int f, ReadOnlySpan<double> mean, Span<double> squares) => Accumulate(x, f, mean, squares);

    /// <summary>totals[c] = sum over rows of x[r, c], or of (x[r, c] - center[c])^2 when a center is given.</summary>
    private static void Accumulate(ReadOnlySpan<float> x, int f, ReadOnlySpan<double> center, Span<double> totals)
    {
        bool squared = !center.IsEmpty;
        totals.Clear();
        for (int row = 0; row < x.Length; row += f)
        {
            ReadOnlySpan<float> xr = x.Slice(row, f);
            int c = 0;
            for (; c <= f - Lanes; c += Lanes)
            {
                (Vector256<double> lo, Vector256<double> hi) = Widen(xr, c);
                if (squared)
                {
                    lo -= Load(center, c);
                    hi -= Load(center, c + 4);
                    (lo, hi) = (lo * lo, hi * hi);
                }
                Store(totals, c, Load(totals, c) + lo, Load(totals, c + 4) + hi);
            }
            for (; c < f; c++)
            {
                double v = xr[c];
                if (squared) { v -= center[c]; v *= v; }
                totals[c] += v;
            }
        }
    }

    /// <summary>normalized = (float)((x - mean) * inverse); output = gamma * normalized + beta (float).</summary>
    public static void Normalize(ReadOnlySpan<float> x, int f, ReadOnlySpan<double> mean, ReadOnlySpan<double> inverse,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> normalized, Span<float> output)
    {
        for (int row = 0; row < x.Length; row += f)
        {
            ReadOnlySpan<float> xr = x.Slice(row, f);
            Span<float> nr = normalized.Slice(row, f), yr = output.Slice(row, f);
            int c = 0;
            for (; c <= f - Lanes; c += Lanes)
            {
                (Vector256<double> lo, Vector256<double> hi) = Widen(xr, c);
                Vector256<float> z = Vector256.Narrow((lo - Load(mean, c)) * Load(inverse, c), (hi - Load(mean, c + 4)) * Load(inverse, c + 4));
                z.CopyTo(nr.Slice(c));
                (Vector256.Create(gamma.Slice(c)) * z + Vector256.Create(beta.Slice(c))).CopyTo(yr.Slice(c));
            }
            for (; c < f; c++)
            {
                float z = (float)((xr[c] - mean[c]) * inverse[c]);
                nr[c] = z;
                yr[c] = gamma[c] * z + beta[c];
            }
        }
    }

    /// <summary>sumDy[c] = sum over rows of dy[r, c]; sumDyX[c] = sum over rows of dy[r, c] * normalized[r, c].</summary>
    public static void GradientSums(ReadOnlySpan<float> dy, ReadOnlySpan<float> normalized, int f, Span<double> sumDy, Span<double> sumDyX)
    {
        sumDy.Clear();
        sumDyX.Clear();
        for (int row = 0; row < dy.Length; row += f)
        {
            ReadOnlySpan<float> dr = dy.Slice(row, f), nr = normalized.Slice(row, f);
            int c = 0;
            for (; c <= f - Lanes; c += Lanes)
            {
                (Vector256<double> dLo, Vector256<double> dHi) = Widen(dr, c);
                (Vector256<double> zLo, Vector256<double> zHi) = Widen(nr, c);
                Store(sumDy, c, Load(sumDy, c) + dLo, Load(sumDy, c + 4) + dHi);
                Store(sumDyX, c, Load(sumDyX, c) + dLo * zLo, Load(sumDyX, c + 4) + dHi * zHi);
            }
            for (; c < f; c++) { double d = dr[c]; sumDy[c] += d; sumDyX[c] += d * nr[c]; }
        }
    }

    /// <summary>dx = (float)(scale * (n * dy - sumDy - normalized * sumDyX)).</summary>
    public static void InputGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> normalized, int f, int n, ReadOnlySpan<double> sumDy,
        ReadOnlySpan<double> sumDyX, ReadOnlySpan<double> scale, Span<float> dx)
    {
        Vector256<double> count = Vector256.Create((double)n);
        for (int row = 0; row < dy.Length; row += f)
        {
            ReadOnlySpan<float> dr = dy.Slice(row, f), nr = normalized.Slice(row, f);
            Span<float> xr = dx.Slice(row, f);
            int c = 0;
            for (; c <= f - Lanes; c += Lanes)
            {
                (Vector256<double> dLo, Vector256<double> dHi) = Widen(dr, c);
                (Vector256<double> zLo, Vector256<double> zHi) = Widen(nr, c);
                Vector256<double> lo = Load(scale, c) * (count * dLo - Load(sumDy, c) - zLo * Load(sumDyX, c));
                Vector256<double> hi = Load(scale, c + 4) * (count * dHi - Load(sumDy, c + 4) - zHi * Load(sumDyX, c + 4));
                Vector256.Narrow(lo, hi).CopyTo(xr.Slice(c));
            }
            for (; c < f; c++) xr[c] = (float)(scale[c] * ((double)n * dr[c] - sumDy[c] - nr[c] * sumDyX[c]));
        }
    }

    private static (Vector256<double> Lower, Vector256<double> Upper) Widen(ReadOnlySpan<float> row, int c)
    {
        Vector256<float> v = Vector256.Create(row.Slice(c));
        return (Vector256.WidenLower(v), Vector256.WidenUpper(v));
    }

    private static Vector256<double> Load(ReadOnlySpan<double> values, int c) => Vector256.Create(values.Slice(c));

    private static void Store(Span<double> values, int c, Vector256<double> lower, Vector256<double> upper)
    {
        lower.CopyTo(values.Slice(c));
        upper.CopyTo(values.Slice(c + 4));
    }
}
