using System.Runtime.Intrinsics;
using Microsoft.ML.Recurrent.Engine.Tensors;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>The single-precision exp, sigmoid and tanh of the gate math against float64, over their whole range.</summary>
[TestClass]
public sealed class ActivationTests
{
    /// <summary>Values from -100 to 100: dense near 0, the clamps of tanh (9) and exp (88), tiny and huge magnitudes.</summary>
    private static float[] Sweep()
    {
        var values = new List<float> { 0f, -0f, 1e-30f, -1e-30f, 1e-7f, -1e-7f, 9f, -9f, 8.999999f, -8.999999f, 88f, -88f, 100f, -100f, float.MaxValue, float.MinValue };
        for (int i = -200_000; i <= 200_000; i++) values.Add(i * 5e-4f);
        var random = new Random(4);
        for (int i = 0; i < 20_000; i++) values.Add((float)((random.NextDouble() - 0.5) * 200));
        return [.. values];
    }

    [TestMethod]
    public void SigmoidIsWithinAFewUlpsOfFloat64()
    {
        double worst = WorstError(Activation.Sigmoid, v => 1 / (1 + Math.Exp(-v)));
        Assert.IsLessThan(4e-7, worst, $"worst relative error of sigmoid {worst:E2}");
        Assert.AreEqual(0.5f, Activation.Sigmoid(0f));
    }

    [TestMethod]
    public void TanhIsWithinAFewUlpsOfFloat64()
    {
        double worst = WorstError(Activation.Tanh, Math.Tanh);
        Assert.IsLessThan(4e-7, worst, $"worst relative error of tanh {worst:E2}");
        Assert.AreEqual(1f, Activation.Tanh(100f));
        Assert.AreEqual(-1f, Activation.Tanh(-100f));
    }

    private delegate void SpanFunction(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>
    /// Worst error over the sweep: relative where the exact value is a normal float, absolute below 1e-37
    /// (the tail that the exp clamp flushes, and exact zeros).
    /// </summary>
    private static double WorstError(SpanFunction function, Func<double, double> exact)
    {
        float[] x = Sweep(), y = new float[x.Length];
        function(x, y);
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = exact(x[i]), error = Math.Abs(y[i] - expected);
            if (Math.Abs(expected) >= 1e-37) error /= Math.Abs(expected);
            worst = Math.Max(worst, error);
        }
        return worst;
    }

    [TestMethod]
    public void NaNStaysNaN()
    {
        float[] x = [float.NaN, 1f, float.NaN, -1f, 0f, 2f, 3f, 4f, float.NaN], s = new float[x.Length], t = new float[x.Length];
        Activation.Sigmoid(x, s);
        Activation.Tanh(x, t);
        foreach (int i in new[] { 0, 2, 8 })
        {
            Assert.IsTrue(float.IsNaN(s[i]), $"sigmoid(NaN) at {i} gave {s[i]}");
            Assert.IsTrue(float.IsNaN(t[i]), $"tanh(NaN) at {i} gave {t[i]}");
        }
        Assert.IsTrue(float.IsNaN(Activation.Sigmoid(float.NaN)));
    }

    [TestMethod]
    public void WideLanesGiveTheNarrowLanesBits()
    {
        // The gate math runs 16 lanes at a time where AVX-512 runs and 8 elsewhere: every lane must get the same bits.
        float[] x = Sweep();
        int checkedValues = 0;
        for (int i = 0; i + 16 <= x.Length; i += 16)
        {
            var wide = Vector512.Create(x.AsSpan(i, 16));
            Vector256<float> low = Vector256.Create(x.AsSpan(i, 8)), high = Vector256.Create(x.AsSpan(i + 8, 8));
            foreach ((string name, Vector512<float> w, Vector256<float> l, Vector256<float> h) in new[]
            {
                ("exp", Activation.Exp<Vector512<float>, Lanes512>(wide), Activation.Exp(low), Activation.Exp(high)),
                ("sigmoid", Activation.Sigmoid<Vector512<float>, Lanes512>(wide), Activation.Sigmoid(low), Activation.Sigmoid(high)),
                ("tanh", Activation.Tanh<Vector512<float>, Lanes512>(wide), Activation.Tanh(low), Activation.Tanh(high)),
            })
                for (int lane = 0; lane < 16; lane++)
                {
                    float narrow = lane < 8 ? l[lane] : h[lane - 8];
                    if (BitConverter.SingleToInt32Bits(w[lane]) != BitConverter.SingleToInt32Bits(narrow))
                        Assert.Fail($"{name}({x[i + lane]:R}): {w[lane]:R} on 16 lanes, {narrow:R} on 8");
                    checkedValues++;
                }
        }
        Assert.IsGreaterThan(1_000_000, checkedValues);
    }

    [TestMethod]
    public void TailElementsMatchVectorLanes()
    {
        float[] x = [.. Enumerable.Range(0, 19).Select(i => (i - 9) * 0.37f)];
        float[] whole = new float[x.Length];
        Activation.Tanh(x, whole);
        for (int i = 0; i < x.Length; i++) Assert.AreEqual(Activation.Tanh(x[i]), whole[i], $"element {i}");
        Activation.Sigmoid(x, whole);
        for (int i = 0; i < x.Length; i++) Assert.AreEqual(Activation.Sigmoid(x[i]), whole[i], $"element {i}");
    }
}
