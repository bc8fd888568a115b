namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>
/// Central finite differences against analytic gradients, in float32 with a tolerance fitted to
/// it: |numeric - analytic| &lt;= 2e-3 + 2e-2 * |analytic| with step 1e-2 (loss summed in float64).
/// Piecewise-linear functions (ReLU) take a smaller step so the difference rarely straddles a kink.
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>Checks up to <paramref name="samples"/> entries of <paramref name="values"/> (all when fewer).</summary>
    public static void Check(string name, float[] values, float[] analytic, Func<double> loss, int samples = 24, int seed = 1, float eps = 1e-2f)
    {
        Assert.HasCount(values.Length, analytic);
        var random = new Random(seed);
        IEnumerable<int> indices = values.Length <= samples ? Enumerable.Range(0, values.Length) : Enumerable.Range(0, samples).Select(_ => random.Next(values.Length));
        foreach (int i in indices)
        {
            float saved = values[i];
            values[i] = saved + eps;
            double plus = loss();
            values[i] = saved - eps;
            double minus = loss();
            values[i] = saved;
            double numeric = (plus - minus) / (2 * eps);
            Assert.IsLessThanOrEqualTo(2e-3 + 2e-2 * Math.Abs(analytic[i]), Math.Abs(numeric - analytic[i]),
                $"{name}[{i}]: analytic {analytic[i]:G6}, numeric {numeric:G6}");
        }
    }

    /// <summary>sum(a * b) in float64.</summary>
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i];
        return s;
    }
}
