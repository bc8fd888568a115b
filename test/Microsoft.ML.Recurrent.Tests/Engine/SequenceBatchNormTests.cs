using Microsoft.ML.Recurrent.Engine.Layers;

namespace Microsoft.ML.Recurrent.Tests.Engine;

/// <summary>Sequence-wise batch normalization and the clipped ReLU: gradients by finite differences, statistics, and the edges.</summary>
[TestClass]
public sealed class SequenceBatchNormTests
{
    [TestMethod]
    public void GradientsMatchFiniteDifferencesAndTheBatchIsNormalized()
    {
        const int N = 9, F = 13;   // one block of eight features and a tail of five
        var random = new Random(1);
        var norm = new SequenceBatchNorm(F);
        for (int c = 0; c < F; c++) { norm.Weight.Value[c] = 0.5f + random.NextSingle(); norm.Bias.Value[c] = random.NextSingle() - 0.5f; }
        float[] x = [.. Enumerable.Range(0, N * F).Select(_ => 3 * random.NextSingle() - 1)], dy = [.. Enumerable.Range(0, N * F).Select(_ => random.NextSingle() - 0.5f)];
        float[] y = new float[x.Length], dx = new float[x.Length];
        double Loss()
        {
            var fresh = new SequenceBatchNorm(F);
            norm.Weight.Value.CopyTo(fresh.Weight.Value, 0);
            norm.Bias.Value.CopyTo(fresh.Bias.Value, 0);
            fresh.Forward(x, y, training: true);
            return FiniteDifferences.Dot(y, dy);
        }
        norm.Forward(x, y, training: true);
        for (int c = 0; c < F; c++)
        {
            // (y - beta) / gamma has mean 0 and (biased) variance 1 over the batch.
            double[] z = [.. Enumerable.Range(0, N).Select(r => (y[r * F + c] - norm.Bias.Value[c]) / norm.Weight.Value[c])];
            Assert.AreEqual(0, z.Average(), 1e-5);
            Assert.AreEqual(1, z.Select(v => v * v).Average(), 1e-3);
        }
        norm.Backward(dy, dx);
        FiniteDifferences.Check("input", x, dx, Loss, samples: 36);
        FiniteDifferences.Check("weight", norm.Weight.Value, norm.Weight.Gradient.ToArray(), Loss);
        FiniteDifferences.Check("bias", norm.Bias.Value, norm.Bias.Gradient.ToArray(), Loss);
    }

    [TestMethod]
    public void RowOrderPassesGiveTheBitsOfTheFeatureAtATimeDefinition()
    {
        const int N = 37, F = 21;
        var random = new Random(3);
        var norm = new SequenceBatchNorm(F);
        for (int c = 0; c < F; c++) { norm.Weight.Value[c] = 0.5f + random.NextSingle(); norm.Bias.Value[c] = random.NextSingle() - 0.5f; }
        float[] x = [.. Enumerable.Range(0, N * F).Select(_ => 5 * random.NextSingle() - 2)], dy = [.. Enumerable.Range(0, N * F).Select(_ => random.NextSingle() - 0.5f)];
        float[] y = new float[x.Length], dx = new float[x.Length];
        norm.Forward(x, y, training: true);
        norm.Backward(dy, dx);
        for (int c = 0; c < F; c++)
        {
            // The definition, one feature at a time in float64 (the layer's sums must add the same terms in the same order).
            double sum = 0, squares = 0, sumDy = 0, sumDyX = 0;
            for (int r = 0; r < N; r++) sum += x[r * F + c];
            double mean = sum / N;
            for (int r = 0; r < N; r++) { double d = x[r * F + c] - mean; squares += d * d; }
            double inverse = 1 / Math.Sqrt(squares / N + norm.Epsilon);
            float gamma = norm.Weight.Value[c], beta = norm.Bias.Value[c];
            var z = new float[N];
            for (int r = 0; r < N; r++)
            {
                z[r] = (float)((x[r * F + c] - mean) * inverse);
                Assert.AreEqual(gamma * z[r] + beta, y[r * F + c], $"y[{r}, {c}]");
                sumDy += dy[r * F + c];
                sumDyX += dy[r * F + c] * (double)z[r];
            }
            float m = norm.Momentum;   // running statistics start at mean 0 and variance 1
            Assert.AreEqual((float)((1 - m) * 0f + m * mean), norm.RunningMean[c], $"running mean {c}");
            Assert.AreEqual((float)((1 - m) * 1f + m * squares / (N - 1)), norm.RunningVariance[c], $"running variance {c}");
            Assert.AreEqual((float)sumDy, norm.Bias.Gradient[c], $"dBeta {c}");
            Assert.AreEqual((float)sumDyX, norm.Weight.Gradient[c], $"dGamma {c}");
            double scale = gamma * inverse / N;
            for (int r = 0; r < N; r++) Assert.AreEqual((float)(scale * ((double)N * dy[r * F + c] - sumDy - z[r] * sumDyX)), dx[r * F + c], $"dx[{r}, {c}]");
        }
        var inference = new float[x.Length];
        norm.Forward(x, inference, training: false);
        for (int c = 0; c < F; c++)
        {
            double inverse = 1 / Math.Sqrt(norm.RunningVariance[c] + norm.Epsilon);
            for (int r = 0; r < N; r++)
                Assert.AreEqual(norm.Weight.Value[c] * (float)((x[r * F + c] - (double)norm.RunningMean[c]) * inverse) + norm.Bias.Value[c], inference[r * F + c], $"inference y[{r}, {c}]");
        }
    }

    [TestMethod]
    public void TheClippedReluPassesGradientsInsideItsRangeOnly()
    {
        float[] x = [-1f, 0.5f, 19f, 21f], y = new float[4], dx = new float[4];
        ClippedRelu.Forward(x, y);
        CollectionAssert.AreEqual(new[] { 0f, 0.5f, 19f, 20f }, y);
        ClippedRelu.Backward(x, [1f, 1f, 1f, 1f], dx);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 1f, 0f }, dx);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SequenceBatchNorm(2).Forward(new float[2], new float[2], training: true)).Message, "at least two steps");
    }
}
