namespace Microsoft.ML.Recurrent.Engine.Losses;

/// <summary>Float64 log-space helpers for the dynamic programs (CTC, CRF).</summary>
public static class LogSpace
{
    /// <summary>log(exp(a) + exp(b)), exact for infinities.</summary>
    public static double Add(double a, double b)
    {
        if (double.IsNegativeInfinity(a)) return b;
        if (double.IsNegativeInfinity(b)) return a;
        return a > b ? a + Math.Log(1 + Math.Exp(b - a)) : b + Math.Log(1 + Math.Exp(a - b));
    }

    /// <summary>log(sum(exp(values))), in float64.</summary>
    public static double Sum(ReadOnlySpan<double> values) => Sum<double>(values);

    /// <summary>log(sum(exp(values))) of float values, in float64 (a row of logits' normalizer).</summary>
    public static double Sum(ReadOnlySpan<float> values) => Sum<float>(values);

    private static double Sum<T>(ReadOnlySpan<T> values) where T : System.Numerics.INumberBase<T>
    {
        double max = double.NegativeInfinity;
        foreach (T v in values)
        {
            double x = double.CreateTruncating(v);
            if (x > max) max = x;
        }
        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max)) return max;
        double s = 0;
        foreach (T v in values) s += Math.Exp(double.CreateTruncating(v) - max);
        return max + Math.Log(s);
    }

    /// <summary>Writes log_softmax of each row of <paramref name="logits"/> [rows, width] (float64 math).</summary>
    public static void LogSoftmax(ReadOnlySpan<float> logits, int rows, int width, Span<double> result)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = logits.Slice(r * width, width);
            double log = Sum(row);
            for (int k = 0; k < width; k++) result[r * width + k] = row[k] - log;
        }
    }
}
